#pragma once
// Canonical source form (fxs ExprProgram.source / Template.source, shown by `fluxc dump`):
// single spaces around binary operators, double-quoted strings with escapes, lowercased header
// names, minimal parentheses. Compiling the canonical form gives the same program.

#include <string>
#include <vector>

#include "compiler/expr/ast.hpp"

namespace flux::compiler::expr {

std::string canonical_predicate(const Ast& ast);
std::string canonical_template(const std::vector<TemplatePart>& parts);

}  // namespace flux::compiler::expr
