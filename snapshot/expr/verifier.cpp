#include "snapshot/expr/verifier.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "snapshot/expr/opcode.hpp"

namespace flux::snapshot::expr {
namespace {

// Abstract value types tracked per stack slot. Absent strings are still strings.
enum class T : std::uint8_t { Str, Int, Bool };

struct Stack {
  std::array<T, kMaxStack> slots{};
  std::uint32_t depth = 0;
  bool operator==(const Stack& o) const {
    return depth == o.depth && std::equal(slots.begin(), slots.begin() + depth, o.slots.begin());
  }
};

Error fail_at(std::size_t pc, const std::string& what) {
  return make_error("bytecode verifier: instruction " + std::to_string(pc) + ": " + what);
}

template <typename V>
bool strictly_sorted(std::span<const V> v) {
  return std::adjacent_find(v.begin(), v.end(), [](const V& a, const V& b) { return !(a < b); }) ==
         v.end();
}

Result<void> check_sets(const ProgramView& p) {
  for (std::size_t i = 0; i < p.sets.size(); ++i) {
    const auto& s = p.sets[i];
    if (s.strings.empty() == s.ints.empty()) {
      return make_error("bytecode verifier: set " + std::to_string(i) +
                        " must hold either strings or ints");
    }
    if (!strictly_sorted(s.strings) || !strictly_sorted(s.ints)) {
      return make_error("bytecode verifier: set " + std::to_string(i) + " is not sorted");
    }
  }
  return {};
}

// One abstract-interpretation step: checks `word` against the stack state before it and
// updates the state to the fall-through successor. Jump targets are recorded by the caller.
class Checker {
 public:
  explicit Checker(const ProgramView& p) : p_(p) {}

  Result<void> step(std::size_t pc, std::uint32_t word, Stack& s) {
    pc_ = pc;
    const auto op = opcode_of(word);
    const auto arg = operand_of(word);
    if (op == 0 || op > kMaxOp) return fail_at(pc, "unknown opcode " + std::to_string(op));
    switch (static_cast<Op>(op)) {
      case Op::PushStr:
        if (arg >= p_.strings.size()) return fail_at(pc, "string constant out of range");
        return push(s, T::Str);
      case Op::PushInt:
        if (arg >= p_.ints.size()) return fail_at(pc, "int constant out of range");
        return push(s, T::Int);
      case Op::Load:
        if (arg > kMaxVar) return fail_at(pc, "unknown variable");
        return push(s, arg == static_cast<std::uint32_t>(Var::ServerPort) ? T::Int : T::Str);
      case Op::LoadRef:
        if (ref_kind_of(arg) > kMaxRefKind) return fail_at(pc, "unknown reference kind");
        if (ref_name_of(arg) >= p_.strings.size()) return fail_at(pc, "name out of range");
        return push(s, T::Str);
      case Op::Eq:
      case Op::Ne:
        return compare(s, /*strings_only=*/false);
      case Op::Prefix:
      case Op::Suffix:
      case Op::Contains:
        return compare(s, /*strings_only=*/true);
      case Op::InSet:
        return in_set(s, arg);
      case Op::Exists:
        return unary(s, T::Str);
      case Op::HasCookiePrefix:
        if (arg >= p_.strings.size()) return fail_at(pc, "string constant out of range");
        return push(s, T::Bool);
      case Op::Not:
        return unary(s, T::Bool);
      case Op::Append:
        return append(s, arg);
      case Op::JumpIfFalseKeep:
      case Op::JumpIfTrueKeep:
      case Op::Ret:
        break;  // handled by verify_program: they affect control flow
    }
    return {};
  }

  std::uint32_t max_depth() const { return max_depth_; }

 private:
  Result<void> push(Stack& s, T t) {
    if (s.depth >= kMaxStack) return fail_at(pc_, "stack deeper than 32");
    s.slots[s.depth++] = t;
    max_depth_ = std::max(max_depth_, s.depth);
    return {};
  }
  Result<void> need(const Stack& s, std::uint32_t n) {
    if (s.depth < n) return fail_at(pc_, "stack underflow");
    return {};
  }
  Result<void> compare(Stack& s, bool strings_only) {
    if (auto r = need(s, 2); !r) return r;
    const T b = s.slots[--s.depth];
    const T a = s.slots[--s.depth];
    if (a != b || a == T::Bool || (strings_only && a != T::Str)) {
      return fail_at(pc_, "operand types do not match the comparison");
    }
    return push(s, T::Bool);
  }
  Result<void> unary(Stack& s, T in) {
    if (auto r = need(s, 1); !r) return r;
    if (s.slots[--s.depth] != in) return fail_at(pc_, "operand has the wrong type");
    return push(s, T::Bool);
  }
  Result<void> in_set(Stack& s, std::uint32_t k) {
    if (k >= p_.sets.size()) return fail_at(pc_, "set out of range");
    if (auto r = need(s, 1); !r) return r;
    const T want = p_.sets[k].strings.empty() ? T::Int : T::Str;
    if (s.slots[--s.depth] != want) return fail_at(pc_, "set element type mismatch");
    return push(s, T::Bool);
  }
  Result<void> append(Stack& s, std::uint32_t mode) {
    if (p_.kind != Kind::Template) return fail_at(pc_, "APPEND in a predicate");
    if (mode > kMaxAppendMode) return fail_at(pc_, "unknown append mode");
    if (auto r = need(s, 1); !r) return r;
    if (s.slots[--s.depth] == T::Bool) return fail_at(pc_, "APPEND of a bool");
    return {};
  }

  const ProgramView& p_;
  std::size_t pc_ = 0;
  std::uint32_t max_depth_ = 0;
};

// Merges the state flowing into `target` with what is already recorded there.
Result<void> record(std::vector<std::optional<Stack>>& in, std::size_t pc, std::size_t target,
                    const Stack& s) {
  if (!in[target]) {
    in[target] = s;
  } else if (!(*in[target] == s)) {
    return fail_at(pc,
                   "stack shape differs between paths into instruction " + std::to_string(target));
  }
  return {};
}

Result<void> check_jump(const ProgramView& p, std::vector<std::optional<Stack>>& in, std::size_t pc,
                        std::uint32_t off, Stack& s) {
  if (off == 0) return fail_at(pc, "jump is not forward");
  if (off >= p.code.size() - pc) return fail_at(pc, "jump target out of range");
  if (s.depth == 0 || s.slots[s.depth - 1] != T::Bool) return fail_at(pc, "jump needs a bool");
  if (auto r = record(in, pc, pc + off, s); !r) return r;
  --s.depth;  // the fall-through path pops the condition
  return {};
}

Result<void> check_ret(const ProgramView& p, std::size_t pc, const Stack& s) {
  if (pc + 1 != p.code.size()) return fail_at(pc, "RET before the end of the program");
  const bool ok =
      p.kind == Kind::Predicate ? (s.depth == 1 && s.slots[0] == T::Bool) : s.depth == 0;
  if (!ok) return fail_at(pc, "result does not match the program kind");
  return {};
}

}  // namespace

Result<void> verify_program(const ProgramView& p) {
  if (p.code.empty()) return make_error("bytecode verifier: empty program");
  if (auto r = check_sets(p); !r) return r;
  Checker checker(p);
  // in[pc] = the stack state flowing into pc from earlier jumps. Forward-only jumps mean a single
  // pass in program order sees every predecessor of an instruction before the instruction.
  std::vector<std::optional<Stack>> in(p.code.size());
  std::optional<Stack> cur = Stack{};
  for (std::size_t pc = 0; pc < p.code.size(); ++pc) {
    if (cur) {
      if (auto r = record(in, pc, pc, *cur); !r) return r;
    }
    if (!in[pc]) return fail_at(pc, "unreachable instruction");
    Stack s = *in[pc];
    const std::uint32_t word = p.code[pc];
    const auto op = opcode_of(word);
    if (op == static_cast<std::uint8_t>(Op::Ret)) {
      if (auto r = check_ret(p, pc, s); !r) return r;
      cur.reset();
      continue;
    }
    if (op == static_cast<std::uint8_t>(Op::JumpIfFalseKeep) ||
        op == static_cast<std::uint8_t>(Op::JumpIfTrueKeep)) {
      if (auto r = check_jump(p, in, pc, operand_of(word), s); !r) return r;
    } else if (auto r = checker.step(pc, word, s); !r) {
      return r;
    }
    cur = s;
  }
  if (cur) return make_error("bytecode verifier: program does not end with RET");
  const std::uint32_t max_depth = checker.max_depth();
  if (p.max_stack != max_depth) {
    return make_error("bytecode verifier: max_stack is " + std::to_string(p.max_stack) +
                      ", computed " + std::to_string(max_depth));
  }
  return {};
}

Result<void> verify_program(const fxs::ExprProgram& program) {
  auto views = ProgramViews::of(program);
  if (!views) return views.error();
  return verify_program(views->view());
}

}  // namespace flux::snapshot::expr
