#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "compiler/validate/compat.hpp"
#include "compiler/validate/convert.hpp"

namespace flux::compiler {
namespace {

std::vector<std::string_view> split_values(std::string_view values) {
  std::vector<std::string_view> out;
  while (!values.empty()) {
    const auto bar = values.find('|');
    out.push_back(values.substr(0, bar));
    values = bar == std::string_view::npos ? std::string_view() : values.substr(bar + 1);
  }
  return out;
}

std::string scope_field(const std::string& key_path) { return table_display(key_path); }

std::optional<ir::Value> convert_enum(const KeyRef& k, const std::string& s) {
  if (auto note = unsupported_value(k.table, k.d.key, s)) {
    auto& d = k.ctx.report(
        Code::FX0204, k.path,
        "`" + field_name(k.table, k.d.key) + " = \"" + s + "\"` is not supported by this build",
        origin_of(k.node));
    add_note(d, std::string(*note));
    return std::nullopt;
  }
  const auto values = split_values(k.d.facets.values);
  if (std::find(values.begin(), values.end(), s) == values.end()) {
    std::string list;
    for (const auto v : values) list += (list.empty() ? "" : ", ") + std::string(v);
    // A key with its own reason (php.runtime) keeps the original's wording.
    k.ctx.report(Code::FX0103, k.path,
                 k.d.facets.msg.empty()
                     ? "invalid value `" + s + "`; expected one of: " + list
                     : field_name(k.table, k.d.key) + ": " + std::string(k.d.facets.msg),
                 origin_of(k.node));
    return std::nullopt;
  }
  return ir::Value::of_str(s, origin_of(k.node));
}

// config-reference.md §0.2 "path" and §0.3 rule 1; relative paths resolve against site.toml.
std::optional<ir::Value> convert_path(const KeyRef& k, const std::string& s) {
  const std::string field = field_name(k.table, k.d.key);
  const Code empty_code = k.d.facets.code == Code::FX0105 ? Code::FX0108 : k.d.facets.code;
  if (s.empty()) {
    k.ctx.report(empty_code, k.path, field + ": " + std::string(k.d.key) + " cannot be empty",
                 origin_of(k.node));
    return std::nullopt;
  }
  if (s.find('\0') != std::string::npos) {
    k.ctx.report(Code::FX0108, k.path, field + ": must not contain NUL", origin_of(k.node));
    return std::nullopt;
  }
  if (has_dotdot(s)) {
    k.ctx.report(
        Code::FX0306, k.path,
        "unsafe path `" + s + "` for " + scope_field(k.path) + ": contains a `..` component",
        origin_of(k.node));
    return std::nullopt;
  }
  const bool keep = k.d.facets.values == "absolute";  // managed-mode paths (§9.3)
  return ir::Value::of_str(keep ? s : lexically_absolute(k.ctx.options().base_dir, s),
                           origin_of(k.node));
}

}  // namespace

std::optional<ir::Value> convert_string_kind(const KeyRef& k) {
  const std::string& s = k.node.str;
  const std::string field = field_name(k.table, k.d.key);
  switch (k.d.kind) {
    case ValueKind::Enum:
      return convert_enum(k, s);
    case ValueKind::Path:
      return convert_path(k, s);
    case ValueKind::Template:
    case ValueKind::Predicate:
      // Compiled after the whole document is converted (expressions.cpp), when the route's
      // regex groups are known.
      return ir::Value::of_str(s, origin_of(k.node));
    case ValueKind::HeaderName:
      if (!is_header_token(s)) {
        k.ctx.report(Code::FX0702, k.path, field + ": invalid header name `" + s + "`",
                     origin_of(k.node));
        return std::nullopt;
      }
      {
        std::string lower = s;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return ir::Value::of_str(lower, origin_of(k.node));
      }
    case ValueKind::HeaderValue:
      if (!is_header_value(s)) {
        k.ctx.report(Code::FX0108, k.path,
                     field +
                         ": must be a valid header value (no CR, LF, NUL or other control "
                         "characters)",
                     origin_of(k.node));
        return std::nullopt;
      }
      return ir::Value::of_str(s, origin_of(k.node));
    default:
      if (k.d.facets.max != 0 && s.size() > k.d.facets.max) {
        k.ctx.report(k.d.facets.code, k.path, field + ": " + std::string(k.d.facets.msg),
                     origin_of(k.node));
        return std::nullopt;
      }
      return ir::Value::of_str(s, origin_of(k.node));
  }
}

bool is_header_token(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  for (unsigned char c : name) {
    const bool ok =
        std::isalnum(c) ||
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool is_header_value(std::string_view value) {
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

bool has_dotdot(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string_view seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

std::string lexically_absolute(std::string_view base_dir, std::string_view path) {
  std::string joined = !path.empty() && path.front() == '/'
                           ? std::string(path)
                           : std::string(base_dir) + "/" + std::string(path);
  // Collapse "//" and "/./" lexically; ".." was rejected before (§0.3 rule 1).
  std::string out;
  std::size_t i = 0;
  while (i < joined.size()) {
    const std::size_t slash = joined.find('/', i);
    const std::size_t end = slash == std::string::npos ? joined.size() : slash;
    const std::string_view seg(joined.data() + i, end - i);
    if (!seg.empty() && seg != ".") {
      out += '/';
      out += seg;
    }
    i = end + 1;
  }
  return out.empty() ? "/" : out;
}

}  // namespace flux::compiler
