#pragma once
// Keys outside the directive table that are still accepted: aliases (config-reference.md §4.1,
// §8.1, §10) and compatibility keys that this build ignores (§1.2, §6, §7.3).

#include <optional>
#include <span>
#include <string_view>

#include "compiler/validate/directive.hpp"

namespace flux::compiler {

struct Alias {
  TableType table;
  std::string_view alias;
  std::string_view canonical;
  bool deprecated;  // FX0903
};
const Alias* find_alias(TableType t, std::string_view key);

struct CompatKey {
  TableType table;
  std::string_view key;
  std::string_view accepted;  // the only accepted value, as TOML text; "*" = any value
  bool warn;                  // FX0907 "ignored by this build" when accepted
};
const CompatKey* find_compat(TableType t, std::string_view key);

struct UnsupportedKey {
  TableType table;
  std::string_view key;
  std::string_view note;
};
std::span<const UnsupportedKey> unsupported_keys();

// The §14 note for an unsupported key of table `t`, if it is one.
std::optional<std::string_view> unsupported_note(TableType t, std::string_view key);
// Values of known keys that name an unsupported feature (FX0204 instead of FX0103).
std::optional<std::string_view> unsupported_value(TableType t, std::string_view key,
                                                  std::string_view value);

}  // namespace flux::compiler
