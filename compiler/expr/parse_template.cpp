// Parse tree -> template parts (expressions.md §2 "templates"). All template errors are
// lexical, so check_template_tokens() finds them before the parser runs.
#include "compiler/expr/antlr_session.hpp"
#include "compiler/expr/parse.hpp"
#include "compiler/expr/syntax_errors.hpp"
#include "compiler/expr/variables.hpp"

namespace flux::compiler::expr {
namespace {

void append_text(std::vector<TemplatePart>& parts, std::string_view text, Span span) {
  if (!parts.empty() && !parts.back().is_var) {
    parts.back().text += text;
    parts.back().span.end = span.end;
    return;
  }
  TemplatePart p;
  p.text = std::string(text);
  p.span = span;
  parts.push_back(std::move(p));
}

}  // namespace

std::optional<std::vector<TemplatePart>> parse_template(std::string_view text, Diags& diags) {
  Session session(text, Session::Mode::Template);
  if (!check_template_tokens(session.tokens(), diags)) return std::nullopt;
  auto* tree = session.parser().template_();
  if (session.syntax_error()) {
    diags.error("FX0899", "internal compiler error: template parse failed after lexical checks",
                Span{0, text.size()});
    return std::nullopt;
  }
  std::vector<TemplatePart> parts;
  bool ok = true;
  for (auto* part : tree->templatePart()) {
    const Span span = session.span_of(part);
    if (dynamic_cast<Parse::TextPartContext*>(part) != nullptr) {
      append_text(parts, session.text_of(span), span);
    } else if (dynamic_cast<Parse::EscapedOpenContext*>(part) != nullptr) {
      append_text(parts, "{", span);
    } else if (dynamic_cast<Parse::EscapedCloseContext*>(part) != nullptr) {
      append_text(parts, "}", span);
    } else {
      auto* ph = dynamic_cast<Parse::PlaceholderContext*>(part);
      const Span var_span = session.span_of(ph->VAR()->getSymbol());
      auto var = resolve_variable(session.text_of(var_span), var_span, diags);
      if (!var) {
        ok = false;
        continue;
      }
      TemplatePart p;
      p.is_var = true;
      p.var = std::move(*var);
      p.span = var_span;
      parts.push_back(std::move(p));
    }
  }
  if (!ok) return std::nullopt;
  return parts;
}

}  // namespace flux::compiler::expr
