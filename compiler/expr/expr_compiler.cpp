#include "compiler/expr/expr_compiler.hpp"

namespace flux::compiler::expr {

Form form_of(Site site) {
  switch (site) {
    case Site::RouteWhen:
    case Site::CacheBypassWhen:
    case Site::CacheNoStoreWhen:
      return Form::Predicate;
    default:
      return Form::Template;
  }
}

std::optional<CompiledExpr> compile_expr(std::string_view text, Form form, const Context& ctx,
                                         std::vector<ExprDiagnostic>& out) {
  // Minimal first cut: literal templates only (expressions.md §1 fast path).
  if (form == Form::Template && form_of(ctx.site) == form &&
      text.find('{') == std::string_view::npos) {
    CompiledExpr c;
    c.literal = true;
    c.canonical_source = std::string(text);
    return c;
  }
  out.push_back(ExprDiagnostic{"FX0899", "internal compiler error: expressions are not implemented yet",
                               0, text.size(), {}, {}, false});
  return std::nullopt;
}

}  // namespace flux::compiler::expr
