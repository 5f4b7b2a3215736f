#pragma once
// Table-driven conversion of the syntax tree into IR: closed tables (FX0201/FX0203 with
// did-you-mean), unsupported features (FX0204), compatibility keys (FX0907), aliases, type and
// facet checks, defaults, then the table's rule function.

#include "compiler/parse/syntax_tree.hpp"
#include "compiler/validate/context.hpp"

namespace flux::compiler {

ir::Value walk_table(Context& ctx, TableType type, const SyntaxNode& node, const std::string& path);

// A table that was not written: every key takes its default; the origin is the parent's.
ir::Value default_table(Context& ctx, TableType type, const ir::Origin& parent,
                        const std::string& path);

}  // namespace flux::compiler
