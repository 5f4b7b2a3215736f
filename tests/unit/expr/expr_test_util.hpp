#pragma once
// Helpers shared by the expression tests: compile a predicate or template for a given key.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/expr/expr_compiler.hpp"

namespace flux::compiler::expr::test {

struct Outcome {
  std::optional<CompiledExpr> compiled;
  std::vector<ExprDiagnostic> diags;

  // The single error (fails the test through the caller's ASSERTs when there is not one).
  const ExprDiagnostic* only_error() const {
    const ExprDiagnostic* found = nullptr;
    for (const auto& d : diags) {
      if (d.warning) continue;
      if (found != nullptr) return nullptr;
      found = &d;
    }
    return found;
  }
};

inline Outcome compile(std::string_view text, Site site,
                       std::optional<std::vector<std::string>> groups = std::nullopt) {
  Outcome o;
  o.compiled = compile_expr(text, form_of(site), Context{site, std::move(groups)}, o.diags);
  return o;
}

inline Outcome when(std::string_view text) { return compile(text, Site::RouteWhen); }

}  // namespace flux::compiler::expr::test
