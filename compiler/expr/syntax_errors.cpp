#include "compiler/expr/syntax_errors.hpp"

#include <string>

namespace flux::compiler::expr {
namespace {

std::string found(const Tok& t) {
  return t.type == antlr4::Token::EOF ? "end of expression" : quoted(t.text);
}

Span to_end(const Tok& from, const std::vector<Tok>& toks) {
  return Span{from.span.begin, toks.back().span.end};
}

void report_stray_char(const Tok& t, Diags& diags) {
  auto& d = diags.error("FX0802", "unexpected character " + quoted(t.text), t.span);
  if (t.text == "=") d.helps.push_back("use `==` to compare");
  if (t.text == "&") d.helps.push_back("use `&&`");
  if (t.text == "|") d.helps.push_back("use `||`");
}

bool check_nesting(const std::vector<Tok>& toks, Diags& diags) {
  // A cheap bound before parsing keeps ANTLR's recursion shallow; parse_predicate.cpp checks
  // the exact AST depth afterwards.
  std::size_t parens = 0;
  std::size_t bangs = 0;
  for (const auto& t : toks) {
    if (t.type == Lex::LPAREN) ++parens;
    if (t.type == Lex::RPAREN && parens > 0) --parens;
    bangs = t.type == Lex::BANG ? bangs + 1 : 0;
    if (parens > kMaxDepth || bangs > kMaxDepth) {
      diags.error("FX0810", "expression nesting deeper than 32", t.span);
      return false;
    }
  }
  return true;
}

// Describes what the grammar expects after `prev` (the token before the error).
std::string expected_after(const std::vector<Tok>& toks, std::size_t bad,
                           const std::vector<std::size_t>& open) {
  const Tok& prev = toks[bad - 1];
  const std::string after = " after " + quoted(prev.text);
  const std::size_t before_prev = bad >= 2 ? toks[bad - 2].type : 0;
  switch (prev.type) {
    case Lex::PREFIX:
    case Lex::SUFFIX:
    case Lex::CONTAINS:
      return "a string literal or variable" + after;
    case Lex::EQ:
    case Lex::NE:
      return "a literal or variable" + after;
    case Lex::AND:
    case Lex::OR:
    case Lex::LPAREN:
      return "a condition" + after;
    case Lex::BANG:
      return is_operand_token(before_prev) ? "`in`" + after : "a condition" + after;
    case Lex::LBRACK:
      return "a literal or `]`" + after;
    case Lex::COMMA:
      return "a literal" + after;
    default:
      break;
  }
  if (prev.type == Lex::WORD && prev.text == "in" &&
      (is_operand_token(before_prev) || before_prev == Lex::BANG)) {
    return "a list `[…]`" + after;
  }
  const bool in_list = !open.empty() && toks[open.back()].type == Lex::LBRACK;
  if (in_list) return "`,` or `]`";
  const bool finished_cmp = is_cmp_token(before_prev) || before_prev == Lex::RBRACK;
  const Tok& t = toks[bad];
  if (is_operand_token(prev.type) && !finished_cmp &&
      (is_operand_token(t.type) || t.type == Lex::LBRACK || t.type == Lex::LPAREN)) {
    return "an operator (`==`, `!=`, `^=`, `$=`, `*=`, `in`, `!in`)" + after;
  }
  return open.empty() ? "`&&`, `||` or end of expression" : "`&&`, `||` or `)`";
}

}  // namespace

bool check_predicate_tokens(const std::vector<Tok>& toks, Diags& diags) {
  for (const auto& t : toks) {
    if (t.type == Lex::ERROR_CHAR) {
      report_stray_char(t, diags);
      return false;
    }
    if (t.type == Lex::UNTERMINATED_STRING) {
      diags.error("FX0809", "unterminated string literal", to_end(t, toks));
      return false;
    }
  }
  return check_nesting(toks, diags);
}

void report_syntax_error(const std::vector<Tok>& toks, std::size_t bad, Diags& diags) {
  const Tok& t = toks[bad];
  std::vector<std::size_t> open;  // unclosed `(` and `[` before the error
  for (std::size_t i = 0; i < bad; ++i) {
    if (toks[i].type == Lex::LPAREN || toks[i].type == Lex::LBRACK) open.push_back(i);
    if ((toks[i].type == Lex::RPAREN || toks[i].type == Lex::RBRACK) && !open.empty()) {
      open.pop_back();
    }
  }
  if (bad == 0) {
    diags.error("FX0802", "expected a condition, found " + found(t), t.span);
    return;
  }
  const std::size_t prev = toks[bad - 1].type;
  const bool could_end = is_operand_token(prev) || prev == Lex::RPAREN || prev == Lex::RBRACK;
  if (t.type == antlr4::Token::EOF && !open.empty() && could_end) {
    const Tok& o = toks[open.back()];
    diags.error("FX0809", "unclosed " + quoted(o.text), Span{o.span.begin, t.span.end});
    return;
  }
  if (t.type == Lex::RPAREN && open.empty()) {
    diags.error("FX0802", "unmatched `)`", t.span);
    return;
  }
  diags.error("FX0802", "expected " + expected_after(toks, bad, open) + ", found " + found(t),
              t.span);
}

bool check_template_tokens(const std::vector<Tok>& toks, Diags& diags) {
  std::size_t placeholders = 0;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Tok& t = toks[i];
    if (t.type == Lex::STRAY_CLOSE) {
      auto& d = diags.error("FX0809", "unmatched `}` in template", t.span);
      d.helps.push_back("write `}}` for a literal `}`");
      return false;
    }
    if (t.type != Lex::OPEN) continue;
    const Tok& v = toks[i + 1];  // the token stream always ends with EOF
    const Tok& c = v.type == Lex::VAR ? toks[i + 2] : v;
    if (c.type == antlr4::Token::EOF) {
      diags.error("FX0809", "unclosed `{` in template", to_end(t, toks));
      return false;
    }
    if (v.type == Lex::CLOSE) {
      diags.error("FX0802", "expected a variable after `{`, found `}`",
                  Span{t.span.begin, v.span.end});
      return false;
    }
    if (c.type == Lex::BAD_CHAR) {
      auto& d = diags.error("FX0802",
                            c.text == " " || c.text == "\t"
                                ? std::string("spaces are not allowed inside `{…}`")
                                : "unexpected " + quoted(c.text) + " inside `{…}`",
                            c.span);
      if (c.text == "{") d.helps.push_back("write `{{` for a literal `{`");
      return false;
    }
    if (++placeholders > kMaxPlaceholders) {
      diags.error("FX0810", "more than 32 placeholders in one template",
                  Span{t.span.begin, c.span.end});
      return false;
    }
  }
  return true;
}

}  // namespace flux::compiler::expr
