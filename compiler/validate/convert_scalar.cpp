#include <algorithm>
#include <limits>
#include <string>

#include "compiler/validate/convert.hpp"

namespace flux::compiler {
namespace {

using Kind = SyntaxNode::Kind;

void type_error(const KeyRef& k, std::string_view expected) {
  k.ctx.report(
      Code::FX0101, k.path,
      "expected " + std::string(expected) + ", found " + std::string(kind_name(k.node.kind)),
      origin_of(k.node));
}

std::uint64_t kind_max(ValueKind kind) {
  switch (kind) {
    case ValueKind::U8:
      return 255;
    case ValueKind::U16:
      return 65535;
    case ValueKind::U32:
      return std::numeric_limits<std::uint32_t>::max();
    default:
      return std::numeric_limits<std::int64_t>::max();
  }
}

std::string field_of(const KeyRef& k) { return field_name(k.table, k.d.key); }

// The generic range / allowed-values facet (shared by integers and byte sizes).
bool check_facets(const KeyRef& k, std::uint64_t value) {
  if (k.ctx.lenient()) return true;  // a disabled [php] block is accepted as it is (§8)
  const Facets& f = k.d.facets;
  if (!f.values.empty() && f.values != "absolute") {
    const std::string text = std::to_string(value);
    std::string_view rest = f.values;
    bool found = false;
    while (!rest.empty()) {
      const auto bar = rest.find('|');
      found = found || rest.substr(0, bar) == text;
      rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
    }
    if (!found) {
      k.ctx.report(f.code, k.path, field_of(k) + ": " + std::string(f.msg), origin_of(k.node));
      return false;
    }
  }
  const bool ranged = f.min != 0 || f.max != 0;
  if (ranged && (value < static_cast<std::uint64_t>(f.min) || value > f.max)) {
    const std::string msg =
        f.msg.empty() ? "must be between " + std::to_string(f.min) + " and " + std::to_string(f.max)
                      : std::string(f.msg);
    k.ctx.report(f.code, k.path, field_of(k) + ": " + msg, origin_of(k.node));
    return false;
  }
  return true;
}

std::optional<ir::Value> convert_uint(const KeyRef& k) {
  if (k.node.kind != Kind::Integer) {
    type_error(k, "integer");
    return std::nullopt;
  }
  const std::int64_t v = k.node.integer;
  const std::uint64_t max = kind_max(k.d.kind);
  if (v < 0 || static_cast<std::uint64_t>(v) > max) {
    k.ctx.report(Code::FX0105, k.path,
                 field_of(k) + ": must be between 0 and " + std::to_string(max), origin_of(k.node));
    return std::nullopt;
  }
  if (!check_facets(k, static_cast<std::uint64_t>(v))) return std::nullopt;
  return ir::Value::of_uint(static_cast<std::uint64_t>(v), origin_of(k.node));
}

// config-reference.md §0.2 "secs": required and optional timeouts are 1..=86400.
std::optional<ir::Value> convert_secs(const KeyRef& k) {
  if (k.node.kind != Kind::Integer) {
    type_error(k, "integer");
    return std::nullopt;
  }
  if (k.node.integer < 1 || k.node.integer > 86400) {
    const Code code = k.d.facets.code == Code::FX0105 ? Code::FX0105 : k.d.facets.code;
    k.ctx.report(code, k.path, field_of(k) + ": must be between 1 and 86400 seconds",
                 origin_of(k.node));
    return std::nullopt;
  }
  return ir::Value::of_uint(static_cast<std::uint64_t>(k.node.integer), origin_of(k.node));
}

std::optional<ir::Value> convert_byte_size(const KeyRef& k) {
  std::optional<std::uint64_t> bytes;
  bool alias = false;
  if (k.node.kind == Kind::Integer) {
    if (k.node.integer >= 0) bytes = static_cast<std::uint64_t>(k.node.integer);
  } else if (k.node.kind == Kind::String) {
    bytes = parse_byte_size(k.node.str, &alias);
  } else {
    type_error(k, "byte size (integer or string)");
    return std::nullopt;
  }
  if (!bytes) {
    k.ctx.report(
        Code::FX0104, k.path,
        field_of(k) + ": invalid byte size; expected an integer or a string like \"64KiB\"",
        origin_of(k.node));
    return std::nullopt;
  }
  if (alias) {
    std::string trimmed = k.node.str;
    trimmed.erase(std::remove(trimmed.begin(), trimmed.end(), ' '), trimmed.end());
    const std::string digits = trimmed.substr(0, trimmed.find_first_not_of("0123456789"));
    std::string unit(1, static_cast<char>(std::toupper(trimmed[digits.size()])));
    k.ctx.report(Code::FX0902, k.path,
                 "`" + k.node.str + "` is read as " + digits + unit + "iB (" +
                     std::to_string(*bytes) + " bytes); write `" + digits + unit +
                     "iB` to make this explicit",
                 origin_of(k.node));
  }
  if (!check_facets(k, *bytes)) return std::nullopt;
  return ir::Value::of_uint(*bytes, origin_of(k.node));
}

std::optional<ir::Value> convert_threads(const KeyRef& k) {
  if (k.node.kind == Kind::String && k.node.str == "auto") {
    return ir::Value::of_uint(0, origin_of(k.node));  // fxs.fbs: 0 = "auto"
  }
  if (k.node.kind != Kind::Integer) {
    type_error(k, "integer or \"auto\"");
    return std::nullopt;
  }
  if (k.node.integer < 1 || k.node.integer > 1024) {
    k.ctx.report(Code::FX0308, k.path, std::string(k.d.facets.msg), origin_of(k.node));
    return std::nullopt;
  }
  return ir::Value::of_uint(static_cast<std::uint64_t>(k.node.integer), origin_of(k.node));
}

std::optional<ir::Value> convert_sint(const KeyRef& k) {
  if (k.node.kind != Kind::Integer) {
    type_error(k, "integer");
    return std::nullopt;
  }
  if (k.node.integer < std::numeric_limits<std::int32_t>::min() ||
      k.node.integer > std::numeric_limits<std::int32_t>::max()) {
    k.ctx.report(Code::FX0105, k.path, field_of(k) + ": does not fit a 32-bit integer",
                 origin_of(k.node));
    return std::nullopt;
  }
  return ir::Value::of_sint(k.node.integer, origin_of(k.node));
}

}  // namespace

ir::Origin origin_of(const SyntaxNode& n) { return {n.key_range, n.range, n.preset, false}; }

std::optional<ir::Value> convert_scalar(const KeyRef& k) {
  switch (k.d.kind) {
    case ValueKind::Bool:
      if (k.node.kind != Kind::Bool) {
        type_error(k, "boolean");
        return std::nullopt;
      }
      return ir::Value::of_bool(k.node.boolean, origin_of(k.node));
    case ValueKind::U8:
    case ValueKind::U16:
    case ValueKind::U32:
    case ValueKind::U64:
      return convert_uint(k);
    case ValueKind::I32:
      return convert_sint(k);
    case ValueKind::Secs:
    case ValueKind::OptSecs:
      return convert_secs(k);
    case ValueKind::ByteSize:
      return convert_byte_size(k);
    case ValueKind::Threads:
      return convert_threads(k);
    default:
      if (k.node.kind != Kind::String) {
        type_error(k, "string");
        return std::nullopt;
      }
      return convert_string_kind(k);
  }
}

std::optional<std::uint64_t> parse_byte_size(std::string_view s, bool* binary_alias) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  s = trim(s);
  std::size_t i = 0;
  std::uint64_t n = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    const std::uint64_t digit = static_cast<std::uint64_t>(s[i] - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    n = n * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  std::string unit;
  for (char c : trim(s.substr(i))) unit.push_back(static_cast<char>(std::toupper(c)));
  std::uint64_t mult = 1;
  if (unit.empty() || unit == "B") {
    mult = 1;
  } else if (unit == "K" || unit == "KB" || unit == "KIB") {
    mult = 1ULL << 10;
  } else if (unit == "M" || unit == "MB" || unit == "MIB") {
    mult = 1ULL << 20;
  } else if (unit == "G" || unit == "GB" || unit == "GIB") {
    mult = 1ULL << 30;
  } else {
    return std::nullopt;
  }
  *binary_alias = unit.size() >= 1 && unit != "B" && unit.find('I') == std::string::npos;
  if (n > std::numeric_limits<std::uint64_t>::max() / mult) return std::nullopt;
  return n * mult;
}

}  // namespace flux::compiler
