#pragma once
// toml++ -> SyntaxNode. A syntax error becomes FX0001 (FX0002 for a redefinition), never an
// exception (cli.md §2 last paragraph); files over 4MiB give FX0003.

#include <optional>

#include "compiler/diag/diag_engine.hpp"
#include "compiler/parse/syntax_tree.hpp"

namespace flux::compiler {

inline constexpr std::size_t kMaxSourceBytes = 4u << 20;

std::optional<SyntaxNode> read_toml(const SourceManager& sm, FileId file, DiagEngine& diags);

}  // namespace flux::compiler
