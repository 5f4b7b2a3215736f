#pragma once
// Owns the ANTLR objects for one compile (input stream, lexer, token stream, parser) and maps
// ANTLR positions (code-point indices) to byte offsets of the decoded TOML string. Internal to
// compiler/expr: this is the only header that includes the ANTLR runtime.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "FluxExpr.h"
#include "FluxExprLexer.h"
#include "antlr4-runtime.h"
#include "compiler/expr/ast.hpp"

namespace flux::compiler::expr {

using Lex = grammar::FluxExprLexer;
using Parse = grammar::FluxExpr;

// A token in our terms: ANTLR type, byte span, source text.
struct Tok {
  std::size_t type = 0;
  Span span;
  std::string_view text;
};

bool is_operand_token(std::size_t type);
bool is_cmp_token(std::size_t type);

// The first syntax error the parser reported, if any.
struct SyntaxError {
  std::size_t token_index = 0;
};

// ANTLR 4.9's ANTLRInputStream drops a leading UTF-8 BOM. In an expression U+FEFF is text (a
// template may start with it), so it is put back to keep token positions aligned with bytes.
class InputStream : public antlr4::ANTLRInputStream {
 public:
  explicit InputStream(std::string_view text);
};

class Session {
 public:
  enum class Mode { Predicate, Template };
  // `text` must be valid UTF-8 (checked by the caller) and outlive the session.
  Session(std::string_view text, Mode mode);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  const std::vector<Tok>& tokens() const { return toks_; }
  Parse& parser() { return parser_; }
  const std::optional<SyntaxError>& syntax_error() const { return listener_.first; }

  Span span_of(const antlr4::Token* t) const;
  Span span_of(antlr4::ParserRuleContext* ctx) const;
  std::string_view text_of(const antlr4::Token* t) const;
  std::string_view text_of(Span s) const { return text_.substr(s.begin, s.end - s.begin); }

 private:
  class Listener : public antlr4::BaseErrorListener {
   public:
    void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                     size_t column, const std::string& msg, std::exception_ptr e) override;
    std::optional<SyntaxError> first;
  };

  std::string_view text_;
  std::vector<std::size_t> cp_to_byte_;  // code-point index -> byte offset, plus the end
  InputStream input_;
  Lex lexer_;
  antlr4::CommonTokenStream stream_;
  Parse parser_;
  Listener listener_;
  std::vector<Tok> toks_;
};

}  // namespace flux::compiler::expr
