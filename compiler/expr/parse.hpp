#pragma once
// Source text -> our AST, through the ANTLR grammar (grammar/FluxExpr.g4). Lexical, syntax and
// name errors are reported here; type and context rules are checked by check.hpp.

#include <optional>
#include <string_view>
#include <vector>

#include "compiler/expr/ast.hpp"
#include "compiler/expr/diags.hpp"

namespace flux::compiler::expr {

// `text` must be valid UTF-8 and at most kMaxSourceBytes long.
std::optional<Ast> parse_predicate(std::string_view text, Diags& diags);
std::optional<std::vector<TemplatePart>> parse_template(std::string_view text, Diags& diags);

}  // namespace flux::compiler::expr
