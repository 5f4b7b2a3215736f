#pragma once
// AST -> bytecode (expressions.md §6, encoding in snapshot/expr/opcode.hpp). The result still
// goes through the static verifier in compile_expr.

#include <vector>

#include "compiler/expr/ast.hpp"
#include "snapshot/expr/opcode.hpp"
#include "snapshot/expr/program.hpp"

namespace flux::compiler::expr {

snapshot::expr::ExprProgramData generate_predicate(const Ast& ast);

// `modes[i]` is the APPEND mode of parts[i] (redirect escaping, §3).
snapshot::expr::ExprProgramData generate_template(
    const std::vector<TemplatePart>& parts, const std::vector<snapshot::expr::AppendMode>& modes);

// The APPEND mode of every part: in redirect targets, arg.* and route.regex.* are escaped as a
// path segment before the first literal `?` and as a query component after it.
std::vector<snapshot::expr::AppendMode> append_modes(const std::vector<TemplatePart>& parts,
                                                     bool redirect);

}  // namespace flux::compiler::expr
