#include <algorithm>
#include <string>

#include "compiler/validate/compat.hpp"
#include "compiler/validate/convert.hpp"

namespace flux::compiler {
namespace {

using Kind = SyntaxNode::Kind;

bool in_values(std::string_view values, std::string_view s) {
  while (!values.empty()) {
    const auto bar = values.find('|');
    if (values.substr(0, bar) == s) return true;
    values = bar == std::string_view::npos ? std::string_view() : values.substr(bar + 1);
  }
  return false;
}

bool check_count(const KeyRef& k, std::size_t n) {
  const Facets& f = k.d.facets;
  if (f.max_items != 0 && n > f.max_items) {
    k.ctx.report(f.code, k.path, field_name(k.table, k.d.key) + ": " + std::string(f.msg),
                 origin_of(k.node));
    return false;
  }
  return true;
}

std::optional<ir::Value> string_item(const KeyRef& k, const SyntaxNode& item,
                                     const std::string& path) {
  if (item.kind != Kind::String) {
    k.ctx.report(Code::FX0101, path, "expected string, found " + std::string(kind_name(item.kind)),
                 origin_of(item));
    return std::nullopt;
  }
  const std::string& s = item.str;
  if (k.d.kind == ValueKind::HeaderList) {
    if (!is_header_token(s)) {
      k.ctx.report(Code::FX0702, path,
                   field_name(k.table, k.d.key) + ": invalid header name `" + s + "`",
                   origin_of(item));
      return std::nullopt;
    }
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ir::Value::of_str(lower, origin_of(item));
  }
  if (!k.d.facets.values.empty()) {
    if (auto note = unsupported_value(k.table, k.d.key, s)) {
      add_note(k.ctx.report(Code::FX0204, path, "`" + s + "` is not supported by this build",
                            origin_of(item)),
               std::string(*note));
      return std::nullopt;
    }
    if (!in_values(k.d.facets.values, s)) {
      std::string list(k.d.facets.values);
      std::replace(list.begin(), list.end(), '|', ',');
      std::string pretty;
      for (char c : list) pretty += c == ',' ? std::string(", ") : std::string(1, c);
      k.ctx.report(Code::FX0103, path, "invalid value `" + s + "`; expected one of: " + pretty,
                   origin_of(item));
      return std::nullopt;
    }
  }
  return ir::Value::of_str(s, origin_of(item));
}

std::optional<ir::Value> uint16_item(const KeyRef& k, const SyntaxNode& item,
                                     const std::string& path) {
  if (item.kind != Kind::Integer) {
    k.ctx.report(Code::FX0101, path, "expected integer, found " + std::string(kind_name(item.kind)),
                 origin_of(item));
    return std::nullopt;
  }
  if (item.integer < 0 || item.integer > 65535) {
    k.ctx.report(Code::FX0105, path, field_name(k.table, k.d.key) + ": must be between 0 and 65535",
                 origin_of(item));
    return std::nullopt;
  }
  return ir::Value::of_uint(static_cast<std::uint64_t>(item.integer), origin_of(item));
}

std::optional<ir::Value> template_value(const KeyRef& k, const SyntaxNode& item,
                                        const std::string& path) {
  if (item.kind != Kind::String) {
    k.ctx.report(Code::FX0101, path, "expected string, found " + std::string(kind_name(item.kind)),
                 origin_of(item));
    return std::nullopt;
  }
  if (!is_header_value(item.str)) {
    k.ctx.report(Code::FX0108, path,
                 field_name(k.table, k.d.key) +
                     ": must be a valid header value (no CR, LF, NUL or other control characters)",
                 origin_of(item));
    return std::nullopt;
  }
  return ir::Value::of_str(item.str, origin_of(item));
}

}  // namespace

std::optional<ir::Value> convert_list(const KeyRef& k) {
  if (k.node.kind != Kind::Array) {
    k.ctx.report(Code::FX0101, k.path,
                 "expected " + std::string(kind_description(k.d.kind)) + ", found " +
                     std::string(kind_name(k.node.kind)),
                 origin_of(k.node));
    return std::nullopt;
  }
  if (!check_count(k, k.node.children.size())) return std::nullopt;
  // Every bad item is reported; the list then counts as failed, so the table's rules (whose key
  // paths index the list) never see a list with items missing.
  ir::Value list = ir::Value::list(origin_of(k.node));
  bool ok = true;
  for (std::size_t i = 0; i < k.node.children.size(); ++i) {
    const SyntaxNode& item = k.node.children[i];
    const std::string path = index_path(k.path, i);
    auto v =
        k.d.kind == ValueKind::U16List ? uint16_item(k, item, path) : string_item(k, item, path);
    if (v) list.items.push_back(std::move(*v));
    ok = ok && v.has_value();
  }
  if (!ok) return std::nullopt;
  return list;
}

namespace {

// One `name = value` entry of a map-valued key (header set/append, params, status TTLs, ...).
std::optional<ir::Value> convert_map_entry(const KeyRef& k, const SyntaxNode& entry,
                                           const std::string& path) {
  if (k.d.kind == ValueKind::MapU32) {
    if (entry.kind != Kind::Integer || entry.integer < 0 || entry.integer > 0xFFFFFFFFLL) {
      k.ctx.report(entry.kind != Kind::Integer ? Code::FX0101 : Code::FX0105, path,
                   entry.kind != Kind::Integer
                       ? "expected integer, found " + std::string(kind_name(entry.kind))
                       : field_name(k.table, k.d.key) + ": must be between 0 and 4294967295",
                   origin_of(entry));
      return std::nullopt;
    }
    return ir::Value::of_uint(static_cast<std::uint64_t>(entry.integer), origin_of(entry));
  }
  if (k.d.kind == ValueKind::MapStr) {
    if (entry.kind == Kind::String) return ir::Value::of_str(entry.str, origin_of(entry));
    k.ctx.report(Code::FX0101, path, "expected string, found " + std::string(kind_name(entry.kind)),
                 origin_of(entry));
    return std::nullopt;
  }
  if (k.d.kind == ValueKind::MapTemplate) return template_value(k, entry, path);
  // MapTemplates: a template or a list of at most 32 templates, stored as a list.
  ir::Value values = ir::Value::list(origin_of(entry));
  if (entry.kind != Kind::Array) {
    auto t = template_value(k, entry, path);
    if (!t) return std::nullopt;
    values.items.push_back(std::move(*t));
    return values;
  }
  if (entry.children.size() > 32) {
    k.ctx.report(Code::FX0106, path,
                 field_name(k.table, k.d.key) + ": at most 32 values per header are allowed",
                 origin_of(entry));
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < entry.children.size(); ++i) {
    auto t = template_value(k, entry.children[i], index_path(path, i));
    if (t) values.items.push_back(std::move(*t));
    ok = ok && t.has_value();
  }
  if (!ok) return std::nullopt;
  return values;
}

}  // namespace

std::optional<ir::Value> convert_map(const KeyRef& k) {
  if (k.node.kind != Kind::Table) {
    k.ctx.report(Code::FX0101, k.path,
                 "expected table, found " + std::string(kind_name(k.node.kind)), origin_of(k.node));
    return std::nullopt;
  }
  if (!check_count(k, k.node.children.size())) return std::nullopt;
  ir::Value map = ir::Value::table(origin_of(k.node));
  bool ok = true;
  for (const SyntaxNode& entry : k.node.children) {
    auto v = convert_map_entry(k, entry, join_path(k.path, entry.key));
    if (!v) {
      ok = false;
      continue;
    }
    ir::Value& stored = map.set(entry.key, std::move(*v));
    stored.origin.key = entry.key_range;
  }
  if (!ok) return std::nullopt;
  return map;
}

}  // namespace flux::compiler
