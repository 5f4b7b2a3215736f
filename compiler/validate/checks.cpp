#include "compiler/validate/checks.hpp"

namespace flux::compiler {

bool has_ctl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

bool is_clean_request_path(std::string_view p) {
  if (p.empty() || p.front() != '/' || has_ctl(p)) return false;
  if (p.find_first_of("\\?#") != std::string_view::npos) return false;
  std::size_t start = 1;
  while (start <= p.size()) {
    const std::size_t slash = p.find('/', start);
    const std::string_view seg =
        p.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool is_method_token(std::string_view m) {
  if (m.empty() || m.size() > 32) return false;
  for (char c : m) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

const std::vector<ir::Value>& items_of(const TableCtx& t, std::string_view key) {
  static const std::vector<ir::Value> kEmpty;
  const ir::Value* v = t.get(key);
  return v != nullptr ? v->items : kEmpty;
}

void item_error(TableCtx& t, Code code, std::string_view key, std::size_t i, std::string_view reason) {
  t.failed.emplace(key);
  const auto& items = items_of(t, key);
  const ir::Origin& o = i < items.size() ? items[i].origin : t.origin(key);
  t.ctx.report(code, index_path(t.key_path(key), i),
               field_name(t.type, key) + ": " + std::string(reason), o);
}

// §7 / §7.4: required, not blank, at most 128 bytes.
void check_name(TableCtx& t, Code code, std::string_view what) {
  if (!t.get("name")) {
    t.error_field(Code::FX0102, "name", "", "missing required key `name`");
  } else if (is_blank(t.str("name"))) {
    t.error_field(code, "name", "", std::string(what) + " name must not be blank");
  } else if (t.str("name").size() > 128) {
    t.error_field(code, "name", "", std::string(what) + " name must be at most 128 bytes");
  }
}

}  // namespace flux::compiler
