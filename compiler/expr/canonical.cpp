#include "compiler/expr/canonical.hpp"

#include "compiler/expr/literals.hpp"

namespace flux::compiler::expr {
namespace {

// Binding strength (§2.1): || < && < ! < comparisons and calls.
int precedence(NodeKind k) {
  switch (k) {
    case NodeKind::Or:
      return 1;
    case NodeKind::And:
      return 2;
    case NodeKind::Not:
      return 3;
    default:
      return 4;
  }
}

class Printer {
 public:
  explicit Printer(const Ast& ast) : ast_(ast) {}

  void node(std::uint32_t id, int need, bool under_not = false) {
    const Node& n = ast_.at(id);
    // Comparisons under `!` get parentheses too: `!(a == b)` reads better than `!a == b`.
    const bool parens = precedence(n.kind) < need ||
                        (under_not && (n.kind == NodeKind::Compare || n.kind == NodeKind::In ||
                                       n.kind == NodeKind::NotIn));
    if (parens) out_ += '(';
    body(n);
    if (parens) out_ += ')';
  }

  std::string take() { return std::move(out_); }

 private:
  void join(const Node& n, const char* sep, int need) {
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      if (i > 0) out_ += sep;
      node(n.kids[i], need);
    }
  }

  void body(const Node& n) {
    switch (n.kind) {
      case NodeKind::Or:
        return join(n, " || ", 2);
      case NodeKind::And:
        return join(n, " && ", 3);
      case NodeKind::Not:
        out_ += '!';
        return node(n.kids[0], 3, true);
      case NodeKind::Compare:
        node(n.kids[0], 4);
        out_ += std::string(" ") + cmp_op_text(n.op) + " ";
        return node(n.kids[1], 4);
      case NodeKind::In:
      case NodeKind::NotIn:
        node(n.kids[0], 4);
        out_ += n.kind == NodeKind::In ? " in [" : " !in [";
        join(ast_.kid(n, 1), ", ", 4);
        out_ += ']';
        return;
      case NodeKind::Exists:
        out_ += "exists(";
        node(n.kids[0], 4);
        out_ += ')';
        return;
      case NodeKind::HasCookiePrefix:
        out_ += "has_cookie_prefix(" + quote_string(ast_.kid(n, 0).str) + ")";
        return;
      default:
        return leaf(n);
    }
  }

  void leaf(const Node& n) {
    switch (n.kind) {
      case NodeKind::BoolLit:
        out_ += n.boolean ? "true" : "false";
        return;
      case NodeKind::Var:
        out_ += n.var.spelling();
        return;
      case NodeKind::Str:
        out_ += quote_string(n.str);
        return;
      default:
        out_ += std::to_string(n.num);
    }
  }

  const Ast& ast_;
  std::string out_;
};

}  // namespace

const char* cmp_op_text(CmpOp op) {
  switch (op) {
    case CmpOp::Eq:
      return "==";
    case CmpOp::Ne:
      return "!=";
    case CmpOp::Prefix:
      return "^=";
    case CmpOp::Suffix:
      return "$=";
    case CmpOp::Contains:
      return "*=";
  }
  return "==";
}

std::string canonical_predicate(const Ast& ast) {
  Printer p(ast);
  p.node(ast.root, 0);
  return p.take();
}

std::string canonical_template(const std::vector<TemplatePart>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.is_var) {
      out += '{' + p.var.spelling() + '}';
      continue;
    }
    for (char c : p.text) {
      out += c;
      if (c == '{' || c == '}') out += c;  // {{ and }} (§2 escape)
    }
  }
  return out;
}

}  // namespace flux::compiler::expr
