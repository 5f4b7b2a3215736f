// Parse tree -> AST for predicates (expressions.md §2). The tree is walked directly through the
// generated context classes; nothing ANTLR-typed survives this file.
#include <string>

#include "compiler/expr/antlr_session.hpp"
#include "compiler/expr/literals.hpp"
#include "compiler/expr/parse.hpp"
#include "compiler/expr/syntax_errors.hpp"
#include "compiler/expr/variables.hpp"

namespace flux::compiler::expr {
namespace {

using Id = std::optional<std::uint32_t>;

constexpr std::string_view kFunctions[] = {"exists", "has_cookie_prefix"};

CmpOp cmp_op_of(std::size_t token_type) {
  switch (token_type) {
    case Lex::NE:
      return CmpOp::Ne;
    case Lex::PREFIX:
      return CmpOp::Prefix;
    case Lex::SUFFIX:
      return CmpOp::Suffix;
    case Lex::CONTAINS:
      return CmpOp::Contains;
    default:
      return CmpOp::Eq;
  }
}

class Builder {
 public:
  Builder(Session& s, Diags& d) : s_(s), d_(d) {}

  std::optional<Ast> build(Parse::PredicateContext* ctx) {
    const Id root = or_expr(ctx->orExpr(), 1);
    if (!root) return std::nullopt;
    ast_.root = *root;
    return std::move(ast_);
  }

 private:
  Id add(Node n, std::size_t depth) {
    if (depth > kMaxDepth) {
      if (!limit_reported_) d_.error("FX0810", "expression nesting deeper than 32", n.span);
      limit_reported_ = true;
      return std::nullopt;
    }
    if (ast_.nodes.size() >= kMaxNodes) {
      if (!limit_reported_) d_.error("FX0810", "expression has more than 256 nodes", n.span);
      limit_reported_ = true;
      return std::nullopt;
    }
    ast_.nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(ast_.nodes.size() - 1);
  }

  // Builds `kids` into an n-ary node of `kind` (Or/And), flattening nested ones from parens.
  template <typename Ctx>
  Id nary(NodeKind kind, const std::vector<Ctx*>& kids, Span span, std::size_t depth) {
    if (kids.size() == 1) return build_kid(kids[0], depth);
    Node n{kind, span};
    bool ok = true;
    for (auto* k : kids) {
      const Id id = build_kid(k, depth + 1);
      if (!id) {
        ok = false;
        continue;
      }
      if (ast_.nodes[*id].kind == kind) {
        // `(a || b) || c`: adopt the kids and drop the inner node, which was added last.
        const auto inner = std::move(ast_.nodes[*id].kids);
        ast_.nodes.pop_back();
        n.kids.insert(n.kids.end(), inner.begin(), inner.end());
      } else {
        n.kids.push_back(*id);
      }
    }
    return ok ? add(std::move(n), depth) : std::nullopt;
  }

  Id build_kid(Parse::AndExprContext* c, std::size_t depth) { return and_expr(c, depth); }
  Id build_kid(Parse::UnaryContext* c, std::size_t depth) { return unary(c, depth); }

  Id or_expr(Parse::OrExprContext* c, std::size_t depth) {
    return nary(NodeKind::Or, c->andExpr(), s_.span_of(c), depth);
  }
  Id and_expr(Parse::AndExprContext* c, std::size_t depth) {
    return nary(NodeKind::And, c->unary(), s_.span_of(c), depth);
  }

  Id unary(Parse::UnaryContext* c, std::size_t depth) {
    if (auto* n = dynamic_cast<Parse::NotExprContext*>(c)) {
      const Id kid = unary(n->unary(), depth + 1);
      if (!kid) return std::nullopt;
      return add(Node{NodeKind::Not, s_.span_of(c), {*kid}}, depth);
    }
    return primary(dynamic_cast<Parse::PrimaryExprContext*>(c)->primary(), depth);
  }

  Id primary(Parse::PrimaryContext* c, std::size_t depth) {
    if (auto* p = dynamic_cast<Parse::ParenExprContext*>(c)) return or_expr(p->orExpr(), depth);
    if (auto* p = dynamic_cast<Parse::CallExprContext*>(c)) return call(p, depth);
    if (auto* p = dynamic_cast<Parse::CompareExprContext*>(c)) return compare(p, depth);
    if (auto* p = dynamic_cast<Parse::MemberExprContext*>(c)) return member(p, depth);
    return operand(dynamic_cast<Parse::BareExprContext*>(c)->operand(), depth);
  }

  Id call(Parse::CallExprContext* c, std::size_t depth) {
    const std::string_view name = s_.text_of(c->WORD()->getSymbol());
    const Span span = s_.span_of(c);
    const auto args = c->operand();
    if (name != "exists" && name != "has_cookie_prefix") {
      auto& d = d_.error("FX0803", "unknown function " + quoted(name),
                         s_.span_of(c->WORD()->getSymbol()));
      if (auto s = closest(name, kFunctions)) d.helps.push_back("did you mean " + quoted(*s) + "?");
      return std::nullopt;
    }
    if (args.size() != 1) {
      d_.error("FX0804", std::string(name) + "() takes exactly one argument", span);
      return std::nullopt;
    }
    const Id arg = operand(args[0], depth + 1);
    if (!arg) return std::nullopt;
    const Node& a = ast_.nodes[*arg];
    const std::string found = quoted(s_.text_of(a.span));
    if (name == "exists") {
      const bool ref = a.kind == NodeKind::Var && a.var.optional();
      if (!ref) {
        d_.error("FX0804", "exists() takes header.NAME, cookie.NAME, or arg.NAME, found " + found,
                 a.span);
        return std::nullopt;
      }
      return add(Node{NodeKind::Exists, span, {*arg}}, depth);
    }
    return cookie_prefix(*arg, span, depth);
  }

  Id cookie_prefix(std::uint32_t arg, Span span, std::size_t depth) {
    const Node& a = ast_.nodes[arg];
    if (a.kind != NodeKind::Str) {
      d_.error("FX0804",
               "has_cookie_prefix() takes a string literal, found " + quoted(s_.text_of(a.span)),
               a.span);
      return std::nullopt;
    }
    if (a.str.empty()) {
      d_.error("FX0813", "has_cookie_prefix() needs a non-empty prefix", a.span);
      return std::nullopt;
    }
    if (a.str.size() > kMaxCookiePrefixBytes) {
      d_.error("FX0810", "has_cookie_prefix() prefix longer than 128 bytes", a.span);
      return std::nullopt;
    }
    return add(Node{NodeKind::HasCookiePrefix, span, {arg}}, depth);
  }

  Id compare(Parse::CompareExprContext* c, std::size_t depth) {
    const auto ops = c->cmpOp();
    if (ops.size() > 1) {
      auto& d = d_.error("FX0811", "comparisons cannot be chained",
                         Span{s_.span_of(ops[1]).begin, s_.span_of(c).end});
      d.helps.push_back("combine comparisons with && or ||");
      return std::nullopt;
    }
    const auto operands = c->operand();
    const Id l = operand(operands[0], depth + 1);
    const Id r = operand(operands[1], depth + 1);
    if (!l || !r) return std::nullopt;
    Node n{NodeKind::Compare, s_.span_of(c), {*l, *r}};
    n.op = cmp_op_of(ops[0]->getStart()->getType());
    return add(std::move(n), depth);
  }

  Id member(Parse::MemberExprContext* c, std::size_t depth) {
    const auto* kw = c->WORD()->getSymbol();
    if (s_.text_of(kw) != "in") {
      d_.error("FX0802",
               "expected `in` or an operator after " +
                   quoted(s_.text_of(s_.span_of(c->operand()))) + ", found " +
                   quoted(s_.text_of(kw)),
               s_.span_of(kw));
      return std::nullopt;
    }
    const Id l = operand(c->operand(), depth + 1);
    const Id list_id = list(c->list(), depth + 1);
    if (!l || !list_id) return std::nullopt;
    const NodeKind kind = c->BANG() != nullptr ? NodeKind::NotIn : NodeKind::In;
    return add(Node{kind, s_.span_of(c), {*l, *list_id}}, depth);
  }

  Id list(Parse::ListContext* c, std::size_t depth) {
    const auto items = c->operand();
    const Span span = s_.span_of(c);
    if (items.empty() || items.size() > kMaxListItems) {
      d_.error("FX0810", "a list needs 1 to 64 items, found " + std::to_string(items.size()), span);
      return std::nullopt;
    }
    Node n{NodeKind::List, span};
    for (auto* item : items) {
      const Id id = operand(item, depth + 1);
      if (!id) return std::nullopt;
      const Node& in = ast_.nodes[*id];
      if (in.kind != NodeKind::Str && in.kind != NodeKind::Int) {
        d_.error("FX0802",
                 "list items must be string or int literals, found " + quoted(s_.text_of(in.span)),
                 in.span);
        return std::nullopt;
      }
      n.kids.push_back(*id);
    }
    return add(std::move(n), depth);
  }

  Id operand(Parse::OperandContext* c, std::size_t depth) {
    const auto* t = c->getStart();
    const Span span = s_.span_of(t);
    const std::string_view text = s_.text_of(t);
    Node n{NodeKind::Var, span};
    switch (t->getType()) {
      case Lex::INT: {
        const auto v = parse_int(text, span, d_);
        if (!v) return std::nullopt;
        n.kind = NodeKind::Int;
        n.num = *v;
        break;
      }
      case Lex::DQ_STRING:
      case Lex::SQ_STRING: {
        auto v = decode_string(text, span.begin, d_);
        if (!v) return std::nullopt;
        n.kind = NodeKind::Str;
        n.str = std::move(*v);
        break;
      }
      default: {
        if (text == "true" || text == "false") {
          n.kind = NodeKind::BoolLit;
          n.boolean = text == "true";
          break;
        }
        auto v = resolve_variable(text, span, d_);
        if (!v) return std::nullopt;
        n.var = std::move(*v);
      }
    }
    return add(std::move(n), depth);
  }

  Session& s_;
  Diags& d_;
  Ast ast_;
  bool limit_reported_ = false;
};

}  // namespace

std::optional<Ast> parse_predicate(std::string_view text, Diags& diags) {
  Session session(text, Session::Mode::Predicate);
  if (!check_predicate_tokens(session.tokens(), diags)) return std::nullopt;
  auto* tree = session.parser().predicate();
  if (const auto& err = session.syntax_error()) {
    report_syntax_error(session.tokens(), err->token_index, diags);
    return std::nullopt;
  }
  return Builder(session, diags).build(tree);
}

}  // namespace flux::compiler::expr
