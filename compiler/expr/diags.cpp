#include "compiler/expr/diags.hpp"

namespace flux::compiler::expr {

ExprDiagnostic& Diags::error(const char* code, std::string message, Span span) {
  ++errors_;
  out_.push_back(ExprDiagnostic{code, std::move(message), span.begin, span.end, {}, {}, false});
  return out_.back();
}

ExprDiagnostic& Diags::warning(const char* code, std::string message, Span span) {
  out_.push_back(ExprDiagnostic{code, std::move(message), span.begin, span.end, {}, {}, true});
  return out_.back();
}

std::string quoted(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 2);
  s += '`';
  s += text;
  s += '`';
  return s;
}

}  // namespace flux::compiler::expr
