#pragma once
// TOML preset fragments compiled into fluxc (presets/*.toml).

#include <span>
#include <string_view>

namespace flux::presets {

struct EmbeddedPreset {
  std::string_view name;  // file stem: "<table>-<preset>", e.g. "php-wordpress", "cache-wordpress"
  std::string_view text;  // the TOML fragment
};

std::span<const EmbeddedPreset> all();

}  // namespace flux::presets
