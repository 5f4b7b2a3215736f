#pragma once
// Preset expansion (config-reference.md §8.4, §10.1): `preset = "x"` in a [php] or [cache]
// table merges the fragment presets/<table>-<x>.toml into the table before validation.

#include "compiler/parse/syntax_tree.hpp"
#include "compiler/validate/context.hpp"

namespace flux::compiler {

// Returns `raw` itself when nothing is expanded, else `storage` filled with the merged table.
// Merge rules: a preset scalar applies when the key is unset or still has its default value;
// preset list items are appended after the user's items, skipping exact duplicates. Every node a
// preset adds points at the `preset = "…"` value and names the preset.
const SyntaxNode& expand_presets(Context& ctx, TableType type, const SyntaxNode& raw,
                                 const std::string& path, SyntaxNode& storage);

}  // namespace flux::compiler
