#include "compiler/validate/table_ctx.hpp"

namespace flux::compiler {

const ir::Value* TableCtx::get(std::string_view key) const {
  const ir::Value* v = table.get(key);
  return v != nullptr && v->present() ? v : nullptr;
}

bool TableCtx::given(std::string_view key) const {
  const ir::Value* v = get(key);
  return v != nullptr && !v->origin.defaulted;
}

bool TableCtx::flag(std::string_view key) const {
  const ir::Value* v = get(key);
  return v != nullptr && v->boolean;
}

std::uint64_t TableCtx::num(std::string_view key) const {
  const ir::Value* v = get(key);
  return v != nullptr ? v->uint : 0;
}

std::string_view TableCtx::str(std::string_view key) const {
  const ir::Value* v = get(key);
  return v != nullptr ? std::string_view(v->str) : std::string_view();
}

const ir::Origin& TableCtx::origin(std::string_view key) const {
  const ir::Value* v = get(key);
  return v != nullptr && !v->origin.defaulted ? v->origin : table.origin;
}

Diagnostic& TableCtx::error(Code code, std::string_view key, std::string_view reason) {
  return error_field(code, key, field_name(type, key), reason);
}

Diagnostic& TableCtx::error_field(Code code, std::string_view key, std::string_view field,
                                  std::string_view reason) {
  failed.emplace(key);
  std::string msg =
      field.empty() ? std::string(reason) : std::string(field) + ": " + std::string(reason);
  return ctx.report(code, key_path(key), std::move(msg), origin(key));
}

Diagnostic& TableCtx::error_table(Code code, std::string_view message) {
  return ctx.report(code, path, std::string(message), table.origin);
}

Diagnostic& TableCtx::warn(Code code, std::string_view key, std::string_view message) {
  return ctx.report(code, key_path(key), std::string(message), origin(key));
}

}  // namespace flux::compiler
