#pragma once
// What a table's rule function sees: the converted IR table, which keys already failed, and
// helpers that report with the right key path, reason prefix and location.

#include <set>
#include <string>

#include "compiler/validate/context.hpp"

namespace flux::compiler {

struct TableCtx {
  Context& ctx;
  TableType type;
  ir::Value& table;
  std::string path;
  std::set<std::string, std::less<>> failed;

  bool ok(std::string_view key) const { return !failed.contains(key); }
  const ir::Value* get(std::string_view key) const;
  // Present and written by the user (or a preset), not filled from a default.
  bool given(std::string_view key) const;
  bool flag(std::string_view key) const;                 // a bool key's effective value
  std::uint64_t num(std::string_view key) const;         // an unsigned key's value (0 if absent)
  std::string_view str(std::string_view key) const;      // a string key's value ("" if absent)
  const ir::Origin& origin(std::string_view key) const;  // the key's origin, else the table's
  std::string key_path(std::string_view key) const { return join_path(path, key); }

  // `<field>: <reason>` at the key's value; marks the key failed.
  Diagnostic& error(Code code, std::string_view key, std::string_view reason);
  // A reason with an explicit field (e.g. "php.request_body_spool_dir" for a companion key).
  Diagnostic& error_field(Code code, std::string_view key, std::string_view field,
                          std::string_view reason);
  // Table-level diagnostic at the [header], key path = the table.
  Diagnostic& error_table(Code code, std::string_view message);
  // A warning at the key (does not mark it failed).
  Diagnostic& warn(Code code, std::string_view key, std::string_view message);
};

}  // namespace flux::compiler
