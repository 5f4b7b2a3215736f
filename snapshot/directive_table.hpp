#pragma once
// The part of the directive table (directives.def) that both binaries need: for every
// (table, key) its default and reload class. Free of compiler types so the runtime's SIGHUP
// classifier can use it (config-reference.md §0.4).

#include <cstdint>
#include <span>
#include <string_view>

namespace flux::snapshot {

enum class ReloadClass : std::uint8_t { SnapshotSafe, ProcessUpgrade };

struct KeyInfo {
  std::string_view table;         // fxs.fbs table name, e.g. "Fpm"
  std::string_view key;           // TOML key == fxs.fbs field name
  std::string_view default_json;  // "" = none; "=rule" = computed (see effective_config.cpp)
  ReloadClass reload;
};

std::span<const KeyInfo> directive_keys();
const KeyInfo* find_key(std::string_view table, std::string_view key);
std::string_view reload_class_name(ReloadClass c);  // "snapshot-safe" | "process-upgrade"

}  // namespace flux::snapshot
