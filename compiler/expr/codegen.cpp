#include "compiler/expr/codegen.hpp"

#include <algorithm>
#include <map>

namespace flux::compiler::expr {
namespace {

using namespace snapshot::expr;

// Emits instructions and interns constants; tracks the stack depth to fill max_stack.
class Emitter {
 public:
  explicit Emitter(Kind kind) { p_.kind = kind; }

  std::size_t emit(Op op, std::uint32_t operand, int stack_effect) {
    p_.code.push_back(encode(op, operand));
    depth_ += stack_effect;
    max_ = std::max(max_, depth_);
    return p_.code.size() - 1;
  }
  std::uint32_t str(const std::string& s) { return intern(strings_, p_.strings, s); }
  std::uint32_t num(std::uint32_t v) { return intern(ints_, p_.ints, v); }
  std::uint32_t set(ConstSetData s) {
    p_.sets.push_back(std::move(s));
    return static_cast<std::uint32_t>(p_.sets.size() - 1);
  }
  // Patches the jump at `at` to land on the next instruction to be emitted.
  void land(std::size_t at) {
    p_.code[at] = encode(static_cast<Op>(opcode_of(p_.code[at])),
                         static_cast<std::uint32_t>(p_.code.size() - at));
  }
  ExprProgramData finish() {
    emit(Op::Ret, 0, 0);
    p_.max_stack = static_cast<std::uint8_t>(max_);
    return std::move(p_);
  }

 private:
  template <typename K>
  static std::uint32_t intern(std::map<K, std::uint32_t>& index, std::vector<K>& table,
                              const K& v) {
    auto [it, fresh] = index.try_emplace(v, static_cast<std::uint32_t>(table.size()));
    if (fresh) table.push_back(v);
    return it->second;
  }

  ExprProgramData p_;
  std::map<std::string, std::uint32_t> strings_;
  std::map<std::uint32_t, std::uint32_t> ints_;
  int depth_ = 0;
  int max_ = 0;
};

void load_var(Emitter& e, const VarRef& v) {
  if (v.kind == VarRef::Kind::Simple) {
    e.emit(Op::Load, static_cast<std::uint32_t>(v.var), +1);
  } else {
    const std::uint32_t k = e.str(v.name);
    e.emit(Op::LoadRef, k | (static_cast<std::uint32_t>(v.ref) << kRefNameBits), +1);
  }
}

Op op_of(CmpOp op) {
  switch (op) {
    case CmpOp::Eq:
      return Op::Eq;
    case CmpOp::Ne:
      return Op::Ne;
    case CmpOp::Prefix:
      return Op::Prefix;
    case CmpOp::Suffix:
      return Op::Suffix;
    case CmpOp::Contains:
      return Op::Contains;
  }
  return Op::Eq;
}

class PredicateGen {
 public:
  explicit PredicateGen(const Ast& ast) : ast_(ast), e_(Kind::Predicate) {}

  ExprProgramData run() {
    node(ast_.root);
    return e_.finish();
  }

 private:
  void node(std::uint32_t id) {
    const Node& n = ast_.at(id);
    switch (n.kind) {
      case NodeKind::Or:
      case NodeKind::And:
        return short_circuit(n);
      case NodeKind::Not:
        node(n.kids[0]);
        e_.emit(Op::Not, 0, 0);
        return;
      case NodeKind::Compare:
        operand(ast_.kid(n, 0));
        operand(ast_.kid(n, 1));
        e_.emit(op_of(n.op), 0, -1);
        return;
      case NodeKind::In:
      case NodeKind::NotIn:
        return member(n);
      case NodeKind::Exists:
        load_var(e_, ast_.kid(n, 0).var);
        e_.emit(Op::Exists, 0, 0);
        return;
      case NodeKind::HasCookiePrefix:
        e_.emit(Op::HasCookiePrefix, e_.str(ast_.kid(n, 0).str), +1);
        return;
      default:
        return bool_literal(n.boolean);
    }
  }

  // `a && b && c`: a; JIF_KEEP end; b; JIF_KEEP end; c; end: (the jump keeps the deciding
  // value, the fall-through pops it) — forward-only jumps (§6).
  void short_circuit(const Node& n) {
    const Op jump = n.kind == NodeKind::And ? Op::JumpIfFalseKeep : Op::JumpIfTrueKeep;
    std::vector<std::size_t> jumps;
    for (std::size_t i = 0; i < n.kids.size(); ++i) {
      node(n.kids[i]);
      if (i + 1 < n.kids.size()) jumps.push_back(e_.emit(jump, 0, -1));
    }
    for (auto j : jumps) e_.land(j);
  }

  void member(const Node& n) {
    operand(ast_.kid(n, 0));
    ConstSetData set;
    for (auto k : ast_.kid(n, 1).kids) {
      const Node& item = ast_.at(k);
      if (item.kind == NodeKind::Str) {
        set.strings.push_back(item.str);
      } else {
        set.ints.push_back(item.num);
      }
    }
    // Sorted for the binary search of lists > 8 items (§6); small lists are sorted too, so
    // the verifier has a single rule.
    std::sort(set.strings.begin(), set.strings.end());
    std::sort(set.ints.begin(), set.ints.end());
    e_.emit(Op::InSet, e_.set(std::move(set)), 0);
    if (n.kind == NodeKind::NotIn) e_.emit(Op::Not, 0, 0);
  }

  void operand(const Node& n) {
    if (n.kind == NodeKind::Var) {
      load_var(e_, n.var);
    } else if (n.kind == NodeKind::Str) {
      e_.emit(Op::PushStr, e_.str(n.str), +1);
    } else {
      e_.emit(Op::PushInt, e_.num(n.num), +1);
    }
  }

  // The bare predicates `true`/`false` (allowed only as the whole predicate, §5.7) become
  // 0 == 0 / 0 != 0: the instruction set of §6 has no boolean constant.
  void bool_literal(bool value) {
    const std::uint32_t zero = e_.num(0);
    e_.emit(Op::PushInt, zero, +1);
    e_.emit(Op::PushInt, zero, +1);
    e_.emit(value ? Op::Eq : Op::Ne, 0, -1);
  }

  const Ast& ast_;
  Emitter e_;
};

}  // namespace

ExprProgramData generate_predicate(const Ast& ast) { return PredicateGen(ast).run(); }

ExprProgramData generate_template(const std::vector<TemplatePart>& parts,
                                  const std::vector<AppendMode>& modes) {
  Emitter e(Kind::Template);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].is_var) {
      load_var(e, parts[i].var);
    } else {
      e.emit(Op::PushStr, e.str(parts[i].text), +1);
    }
    e.emit(Op::Append, static_cast<std::uint32_t>(modes[i]), -1);
  }
  return e.finish();
}

std::vector<AppendMode> append_modes(const std::vector<TemplatePart>& parts, bool redirect) {
  std::vector<AppendMode> modes;
  bool in_query = false;
  for (const auto& p : parts) {
    const bool escaped =
        redirect && p.is_var && (p.var.is(RefKind::Arg) || p.var.is(RefKind::RouteRegex));
    modes.push_back(!escaped   ? AppendMode::Raw
                    : in_query ? AppendMode::QueryComponent
                               : AppendMode::PathSegment);
    if (!p.is_var && p.text.find('?') != std::string::npos) in_query = true;
  }
  return modes;
}

}  // namespace flux::compiler::expr
