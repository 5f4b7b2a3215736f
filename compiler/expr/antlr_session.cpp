#include "compiler/expr/antlr_session.hpp"

#include <algorithm>

namespace flux::compiler::expr {

bool is_operand_token(std::size_t type) {
  return type == Lex::WORD || type == Lex::INT || type == Lex::DQ_STRING || type == Lex::SQ_STRING;
}

bool is_cmp_token(std::size_t type) {
  return type == Lex::EQ || type == Lex::NE || type == Lex::PREFIX || type == Lex::SUFFIX ||
         type == Lex::CONTAINS;
}

void Session::Listener::syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                                    const std::string&, std::exception_ptr) {
  // Only the first error is meaningful: later ones come from ANTLR's recovery.
  if (!first && offending != nullptr) first = SyntaxError{offending->getTokenIndex()};
}

InputStream::InputStream(std::string_view text) : antlr4::ANTLRInputStream(std::string(text)) {
  const auto code_points =
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }));
  if (text.starts_with("\xEF\xBB\xBF") && _data.size() + 1 == code_points) {
    _data.insert(_data.begin(), U'\uFEFF');
  }
}

namespace {

std::vector<std::size_t> code_point_offsets(std::string_view text) {
  std::vector<std::size_t> out;
  out.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Every byte that is not a UTF-8 continuation byte starts a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  out.push_back(text.size());
  return out;
}

}  // namespace

Session::Session(std::string_view text, Mode mode)
    : text_(text),
      cp_to_byte_(code_point_offsets(text)),
      input_(std::string(text)),
      lexer_(&input_),
      stream_(&lexer_),
      parser_(&stream_) {
  lexer_.removeErrorListeners();  // the lexer cannot fail: ERROR_CHAR catches everything
  parser_.removeErrorListeners();
  parser_.addErrorListener(&listener_);
  if (mode == Mode::Template) lexer_.setMode(Lex::TEMPLATE);
  stream_.fill();
  for (const auto* t : stream_.getTokens()) {
    const Span s = span_of(t);
    toks_.push_back(Tok{t->getType(), s, text_of(s)});
  }
}

Session::~Session() { parser_.removeErrorListeners(); }

Span Session::span_of(const antlr4::Token* t) const {
  if (t == nullptr || t->getType() == antlr4::Token::EOF) return Span{text_.size(), text_.size()};
  const std::size_t last = cp_to_byte_.size() - 1;
  const std::size_t b = std::min<std::size_t>(t->getStartIndex(), last);
  const std::size_t e = std::min<std::size_t>(t->getStopIndex() + 1, last);
  return Span{cp_to_byte_[b], cp_to_byte_[std::max(b, e)]};
}

Span Session::span_of(antlr4::ParserRuleContext* ctx) const {
  const Span a = span_of(ctx->getStart());
  const auto* stop = ctx->getStop();
  if (stop == nullptr || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) {
    return Span{a.begin, a.begin};  // a rule that matched nothing
  }
  const Span b = span_of(stop);
  return Span{a.begin, std::max(a.begin, b.end)};
}

std::string_view Session::text_of(const antlr4::Token* t) const { return text_of(span_of(t)); }

}  // namespace flux::compiler::expr
