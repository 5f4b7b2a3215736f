#include "compiler/validate/context.hpp"

#include "compiler/parse/string_map.hpp"

namespace flux::compiler {

Diagnostic& Context::report(Code code, std::string key_path, std::string message,
                            const ir::Origin& origin) {
  Diagnostic& d = diags_.report(code, std::move(key_path), std::move(message), origin.value);
  if (!origin.preset.empty()) {
    add_note(d, "value added by preset \"" + std::string(origin.preset) + "\"");
  }
  return d;
}

Diagnostic& Context::report_at(Code code, std::string key_path, std::string message,
                               SourceRange r) {
  return diags_.report(code, std::move(key_path), std::move(message), r);
}

SourceRange Context::string_range(const ir::Origin& origin, std::size_t begin,
                                  std::size_t end) const {
  if (!origin.preset.empty() || origin.value.end <= origin.value.begin) return origin.value;
  const std::string_view text = sm_.text(origin.value.file);
  const StringMap map(text.substr(origin.value.begin, origin.value.end - origin.value.begin),
                      origin.value.begin);
  return map.source_range(origin.value.file, begin, end);
}

std::string join_path(const std::string& base, std::string_view key) {
  if (base.empty()) return std::string(key);
  std::string out = base;
  out += '.';
  out += key;
  return out;
}

std::string index_path(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

std::string table_display(const std::string& path) {
  std::string out;
  bool skip = false;
  for (char c : path) {
    if (c == '[') skip = true;
    if (!skip) out.push_back(c);
    if (c == ']') skip = false;
  }
  return out;
}

std::string field_name(TableType t, std::string_view key) {
  const std::string_view prefix = table_info(t).prefix;
  if (prefix.empty()) return std::string(key);
  return std::string(prefix) + "." + std::string(key);
}

}  // namespace flux::compiler
