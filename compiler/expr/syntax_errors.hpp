#pragma once
// Lexical checks and syntax-error messages (expressions.md §10: FX0802, FX0809, FX0810). They
// work on the token list, before and after the ANTLR parse, so every message names the
// offending token and what was expected there instead of ANTLR's generic text.

#include <vector>

#include "compiler/expr/antlr_session.hpp"
#include "compiler/expr/diags.hpp"

namespace flux::compiler::expr {

// Reports the first lexical problem of a predicate (stray character, unterminated string) and
// nesting beyond kMaxDepth. Returns false when something was reported.
bool check_predicate_tokens(const std::vector<Tok>& toks, Diags& diags);

// Reports the first problem of a template: unclosed `{`, stray `}`, empty or malformed
// placeholder, more than kMaxPlaceholders placeholders. Returns false when something was
// reported.
bool check_template_tokens(const std::vector<Tok>& toks, Diags& diags);

// Turns the parser's first error (at token index `bad`) into one diagnostic.
void report_syntax_error(const std::vector<Tok>& toks, std::size_t bad, Diags& diags);

}  // namespace flux::compiler::expr
