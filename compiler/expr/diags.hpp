#pragma once
// Collects ExprDiagnostics for one compile_expr call (expressions.md §10).

#include <string>
#include <vector>

#include "compiler/expr/ast.hpp"
#include "compiler/expr/expr_compiler.hpp"

namespace flux::compiler::expr {

class Diags {
 public:
  explicit Diags(std::vector<ExprDiagnostic>& out) : out_(out) {}

  // The returned reference is valid until the next report; use it to add helps and notes.
  ExprDiagnostic& error(const char* code, std::string message, Span span);
  ExprDiagnostic& warning(const char* code, std::string message, Span span);

  bool has_errors() const { return errors_ > 0; }

 private:
  std::vector<ExprDiagnostic>& out_;
  std::size_t errors_ = 0;
};

// `text` in backquotes, as diagnostics quote source (cli.md §2).
std::string quoted(std::string_view text);

}  // namespace flux::compiler::expr
