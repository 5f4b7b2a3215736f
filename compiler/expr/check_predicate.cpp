#include <algorithm>
#include <set>
#include <string>

#include "compiler/expr/canonical.hpp"
#include "compiler/expr/check.hpp"
#include "compiler/expr/literals.hpp"

namespace flux::compiler::expr {
namespace {

enum class Ty { Str, OptStr, Int, Bool };

Ty type_of(const Node& n) {
  switch (n.kind) {
    case NodeKind::Var:
      return n.var.is_int() ? Ty::Int : n.var.optional() ? Ty::OptStr : Ty::Str;
    case NodeKind::Str:
      return Ty::Str;
    case NodeKind::Int:
      return Ty::Int;
    default:
      return Ty::Bool;
  }
}

const char* base_name(Ty t) { return t == Ty::Int ? "int" : t == Ty::Bool ? "bool" : "string"; }
bool same_base(Ty a, Ty b) {
  return (a == Ty::Int) == (b == Ty::Int) && (a == Ty::Bool) == (b == Ty::Bool);
}
bool is_literal(const Node& n) { return n.kind == NodeKind::Str || n.kind == NodeKind::Int; }

class Checker {
 public:
  Checker(const Ast& ast, std::string_view text, const Context& ctx, Diags& d)
      : ast_(ast), text_(text), ctx_(ctx), d_(d) {}

  bool run() {
    const Node& root = ast_.at(ast_.root);
    if (root.kind == NodeKind::BoolLit) {
      // §5.7: allowed only as the whole predicate, with a warning.
      d_.warning("FX0912", std::string("condition is always ") + (root.boolean ? "true" : "false"),
                 root.span);
      return true;
    }
    check_bool(root);
    if (ok_) check_constants(root);
    return ok_;
  }

 private:
  std::string src(const Node& n) const {
    return std::string(text_.substr(n.span.begin, n.span.end - n.span.begin));
  }
  void fail() { ok_ = false; }

  void check_bool(const Node& n) {
    switch (n.kind) {
      case NodeKind::Or:
      case NodeKind::And:
      case NodeKind::Not:
        for (auto k : n.kids) check_bool(ast_.at(k));
        return;
      case NodeKind::Compare:
        return check_compare(n);
      case NodeKind::In:
      case NodeKind::NotIn:
        return check_member(n);
      case NodeKind::Exists:  // its argument is header/cookie/arg (parse_predicate.cpp)
      case NodeKind::HasCookiePrefix:
      case NodeKind::BoolLit:
        return;
      default:
        return not_bool(n);
    }
  }

  void not_bool(const Node& n) {
    const Ty t = type_of(n);
    auto& d = d_.error("FX0808",
                       "a predicate must be a bool expression; " + quoted(src(n)) + " is " +
                           (t == Ty::Int ? "an int" : "a string"),
                       n.span);
    if (t == Ty::OptStr) {
      d.helps.push_back("write exists(" + n.var.spelling() + ") or compare it with a value");
    } else if (n.kind == NodeKind::Var) {
      d.helps.push_back("compare it with a value");
    }
    if (n.kind == NodeKind::Var) check_var(n);
    fail();
  }

  void check_var(const Node& n) {
    if (n.kind == NodeKind::Var && n.var.is(snapshot::expr::RefKind::RouteRegex)) {
      if (ctx_.site != Site::RouteWhen) {
        d_.error("FX0812",
                 "`route.regex.*` variables are only allowed in the `when` of a route "
                 "with `path_regex`",
                 n.span);
        fail();
      } else if (!check_regex_group(n.var, n.span, ctx_, d_)) {
        fail();
      }
    }
  }

  void check_compare(const Node& n) {
    const Node& l = ast_.kid(n, 0);
    const Node& r = ast_.kid(n, 1);
    check_var(l);
    check_var(r);
    const Ty lt = type_of(l);
    const Ty rt = type_of(r);
    const std::string op = quoted(cmp_op_text(n.op));
    if (lt == Ty::Bool || rt == Ty::Bool) {
      const Node& b = lt == Ty::Bool ? l : r;
      d_.error("FX0801", quoted(src(b)) + " cannot be compared; use the condition itself", b.span);
      return fail();
    }
    if (n.op == CmpOp::Eq || n.op == CmpOp::Ne) {
      if (!same_base(lt, rt)) return mismatch(n, l, r, lt, rt);
    } else if (lt == Ty::Int || rt == Ty::Int) {
      const Node& i = lt == Ty::Int ? l : r;
      d_.error("FX0801", op + " needs strings; " + quoted(src(i)) + " is an int", i.span);
      return fail();
    } else if (r.kind == NodeKind::Str && r.str.empty()) {
      d_.error("FX0813", "empty right-hand side for " + op, r.span);
      return fail();
    }
    if (is_literal(l) && is_literal(r)) {
      d_.error("FX0807", "constant condition: both sides of " + op + " are literals", n.span);
      fail();
    }
  }

  void mismatch(const Node& n, const Node& l, const Node& r, Ty lt, Ty rt) {
    // Point at the literal when there is exactly one (§10 #1 highlights `"443"`).
    const Node& at = is_literal(l) && !is_literal(r) ? l : r;
    auto& d = d_.error("FX0801",
                       std::string("cannot compare ") + base_name(lt) + " with " + base_name(rt),
                       at.span);
    const Node& other = &at == &l ? r : l;
    if (at.kind == NodeKind::Str && !at.str.empty() && at.str.size() <= 10 &&
        std::all_of(at.str.begin(), at.str.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      d.helps.push_back(help_with(n, other, at.str, &at == &l));
    } else if (at.kind == NodeKind::Int) {
      d.helps.push_back(help_with(n, other, quote_string(std::to_string(at.num)), &at == &l));
    }
    fail();
  }

  std::string help_with(const Node& n, const Node& other, const std::string& fixed,
                        bool fixed_left) const {
    const std::string o = src(other);
    const std::string op = cmp_op_text(n.op);
    return "write " + (fixed_left ? fixed + " " + op + " " + o : o + " " + op + " " + fixed);
  }

  void check_member(const Node& n) {
    const Node& l = ast_.kid(n, 0);
    const Node& list = ast_.kid(n, 1);
    check_var(l);
    const Ty elem = type_of(ast_.kid(list, 0));
    std::set<std::string> seen_s;
    std::set<std::uint32_t> seen_i;
    for (auto k : list.kids) {
      const Node& item = ast_.at(k);
      if (type_of(item) != elem) {
        d_.error("FX0805", "list mixes string and int elements", item.span);
        return fail();
      }
      const bool fresh = item.kind == NodeKind::Str ? seen_s.insert(item.str).second
                                                    : seen_i.insert(item.num).second;
      if (!fresh) {
        d_.error("FX0814", "duplicate list item " + quoted(src(item)), item.span);
        return fail();
      }
    }
    const Ty lt = type_of(l);
    if (lt == Ty::Bool || !same_base(lt, elem)) {
      d_.error(
          "FX0801",
          std::string("cannot compare ") + base_name(lt) + " with a list of " + base_name(elem),
          l.span);
      return fail();
    }
    if (is_literal(l)) {
      d_.error("FX0807", "constant condition: the left side of `in` is a literal", n.span);
      fail();
    }
  }

  // §5.7: `x || true` and friends. Runs only when the types are fine.
  void check_constants(const Node& root) {
    const Node* lit = find_bool_literal(root);
    if (lit == nullptr) return;
    const auto folded = fold(root);
    auto& d = folded ? d_.error("FX0807",
                                std::string("constant condition: the predicate is always ") +
                                    (*folded ? "true" : "false"),
                                root.span)
                     : d_.error("FX0807",
                                "constant condition: " + quoted(src(*lit)) + " has no effect here",
                                lit->span);
    d.helps.push_back("a bare `true` or `false` is only allowed as the whole predicate");
    fail();
  }

  const Node* find_bool_literal(const Node& n) const {
    if (n.kind == NodeKind::BoolLit) return &n;
    if (n.kind != NodeKind::Or && n.kind != NodeKind::And && n.kind != NodeKind::Not)
      return nullptr;
    for (auto k : n.kids) {
      if (const Node* f = find_bool_literal(ast_.at(k))) return f;
    }
    return nullptr;
  }

  std::optional<bool> fold(const Node& n) const {
    switch (n.kind) {
      case NodeKind::BoolLit:
        return n.boolean;
      case NodeKind::Not: {
        const auto k = fold(ast_.kid(n, 0));
        return k ? std::optional<bool>(!*k) : std::nullopt;
      }
      case NodeKind::Or:
      case NodeKind::And: {
        const bool absorbing = n.kind == NodeKind::Or;  // true absorbs ||, false absorbs &&
        bool all_const = true;
        for (auto k : n.kids) {
          const auto v = fold(ast_.at(k));
          if (v && *v == absorbing) return absorbing;
          all_const = all_const && v.has_value();
        }
        return all_const ? std::optional<bool>(!absorbing) : std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  const Ast& ast_;
  std::string_view text_;
  const Context& ctx_;
  Diags& d_;
  bool ok_ = true;
};

}  // namespace

bool check_predicate(const Ast& ast, std::string_view text, const Context& ctx, Diags& diags) {
  return Checker(ast, text, ctx, diags).run();
}

bool check_regex_group(const VarRef& var, Span span, const Context& ctx, Diags& diags) {
  if (!ctx.regex_groups) {
    diags.error("FX0806", quoted(var.spelling()) + " needs a route with `path_regex`", span);
    return false;
  }
  const auto& groups = *ctx.regex_groups;
  if (std::find(groups.begin(), groups.end(), var.name) != groups.end()) return true;
  auto& d = diags.error("FX0806", "path_regex has no named group " + quoted(var.name), span);
  if (groups.empty()) {
    d.notes.push_back("path_regex defines no named groups");
  } else {
    std::string list;
    for (const auto& g : groups) list += (list.empty() ? "" : ", ") + g;
    d.notes.push_back("groups defined: " + list);
  }
  return false;
}

}  // namespace flux::compiler::expr
