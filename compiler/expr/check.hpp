#pragma once
// Type rules (expressions.md §5) and context rules (§5.8) on the AST. Each returns false when
// an error was reported; warnings (FX0912) do not make it fail.

#include <vector>

#include "compiler/expr/ast.hpp"
#include "compiler/expr/diags.hpp"
#include "compiler/expr/expr_compiler.hpp"

namespace flux::compiler::expr {

bool check_predicate(const Ast& ast, std::string_view text, const Context& ctx, Diags& diags);

// `parts` of a parsed template, or one text part for a literal. Includes the redirect-target
// rules of config-reference.md §7.2 for Site::RedirectTarget.
bool check_template(const std::vector<TemplatePart>& parts, std::string_view text,
                    const Context& ctx, Diags& diags);

// Shared: route.regex.NAME against the route's path_regex groups (FX0806).
bool check_regex_group(const VarRef& var, Span span, const Context& ctx, Diags& diags);

// config-reference.md §7.2 (FX0406); called by check_template.
bool check_redirect_target(const std::vector<TemplatePart>& parts, std::string_view text,
                           Diags& diags);

}  // namespace flux::compiler::expr
