#include "runtime/expr/evaluator.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>

#include "runtime/expr/two_way.hpp"
#include "snapshot/expr/opcode.hpp"
#include "snapshot/expr/verifier.hpp"

namespace flux::runtime::expr {
namespace {

using namespace snapshot::expr;

struct Value {
  enum class Tag : std::uint8_t { Absent, Str, Int, Bool };
  Tag tag = Tag::Absent;
  std::string_view s;
  std::uint32_t n = 0;  // int value, or the bool
};

Value str(std::string_view s) { return Value{Value::Tag::Str, s, 0}; }
Value boolean(bool b) { return Value{Value::Tag::Bool, {}, b ? 1u : 0u}; }
Value optional(std::optional<std::string_view> s) { return s ? str(*s) : Value{}; }

bool present(const Value& a, const Value& b) {
  return a.tag != Value::Tag::Absent && b.tag != Value::Tag::Absent;
}

// §3: absent compares unequal to everything.
bool equal(const Value& a, const Value& b) {
  if (!present(a, b)) return false;
  return a.tag == Value::Tag::Int ? a.n == b.n : a.s == b.s;
}

template <typename T>
bool member(std::span<const T> set, const T& v) {
  // Lists of more than 8 items are searched with binary search (§6); fluxc sorts every set.
  if (set.size() <= 8) return std::find(set.begin(), set.end(), v) != set.end();
  return std::binary_search(set.begin(), set.end(), v);
}

bool in_set(const SetView& set, const Value& v) {
  if (v.tag == Value::Tag::Absent) return false;
  if (v.tag == Value::Tag::Int) return member(set.ints, v.n);
  return member(set.strings, v.s);
}

Value load_ref(const ProgramView& p, std::uint32_t operand, const RequestVars& vars) {
  const std::string_view name = p.strings[ref_name_of(operand)];
  switch (static_cast<RefKind>(ref_kind_of(operand))) {
    case RefKind::Header:
      return optional(vars.header(name));
    case RefKind::Cookie:
      return optional(vars.cookie(name));
    case RefKind::Arg:
      return optional(vars.arg(name));
    case RefKind::RouteRegex:
      break;
  }
  return str(vars.route_regex(name));
}

bool keep_unescaped(unsigned char c, AppendMode mode) {
  const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
  if (unreserved) return true;
  // RFC 3986 §3.3 pchar minus nothing but `/`, so a value stays inside one segment; §3.4 query
  // characters minus the component separators `&`, `=`, `+` (and `#`, `%`).
  constexpr std::string_view kPathExtra = "!$&'()*+,;=:@";
  constexpr std::string_view kQueryExtra = "!$'()*,;:@/?";
  const std::string_view extra = mode == AppendMode::PathSegment ? kPathExtra : kQueryExtra;
  return extra.find(static_cast<char>(c)) != std::string_view::npos;
}

void append_escaped(std::string& out, std::string_view v, AppendMode mode) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (mode == AppendMode::Raw) {
    out += v;
    return;
  }
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (keep_unescaped(c, mode)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

void append_value(std::string& out, const Value& v, AppendMode mode) {
  if (v.tag == Value::Tag::Int) {
    std::array<char, 16> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.n);
    out.append(buf.data(), r.ptr);
    return;
  }
  append_escaped(out, v.s, mode);  // absent expands to "" (§3)
}

bool compare(Op op, const Value& a, const Value& b) {
  switch (op) {
    case Op::Eq:
      return equal(a, b);
    case Op::Ne:
      return !equal(a, b);
    case Op::Prefix:
      return present(a, b) && a.s.starts_with(b.s);
    case Op::Suffix:
      return present(a, b) && a.s.ends_with(b.s);
    default:
      return present(a, b) && contains_two_way(a.s, b.s);
  }
}

// Runs a verified program. Predicates return their result; templates write `out` and return
// false only when the output cap is exceeded.
bool run(const ProgramView& p, const RequestVars& vars, std::string* out) {
  std::array<Value, kMaxStack> stack;
  std::size_t sp = 0;
  for (std::size_t pc = 0;; ++pc) {
    const std::uint32_t word = p.code[pc];
    const std::uint32_t arg = operand_of(word);
    const auto op = static_cast<Op>(opcode_of(word));
    switch (op) {
      case Op::PushStr:
        stack[sp++] = str(p.strings[arg]);
        break;
      case Op::PushInt:
        stack[sp++] = Value{Value::Tag::Int, {}, p.ints[arg]};
        break;
      case Op::Load:
        stack[sp++] = static_cast<Var>(arg) == Var::ServerPort
                          ? Value{Value::Tag::Int, {}, vars.server_port()}
                          : str(vars.simple(static_cast<Var>(arg)));
        break;
      case Op::LoadRef:
        stack[sp++] = load_ref(p, arg, vars);
        break;
      case Op::Eq:
      case Op::Ne:
      case Op::Prefix:
      case Op::Suffix:
      case Op::Contains:
        --sp;
        stack[sp - 1] = boolean(compare(op, stack[sp - 1], stack[sp]));
        break;
      case Op::InSet:
        stack[sp - 1] = boolean(in_set(p.sets[arg], stack[sp - 1]));
        break;
      case Op::Exists:
        stack[sp - 1] = boolean(stack[sp - 1].tag != Value::Tag::Absent);
        break;
      case Op::HasCookiePrefix:
        stack[sp++] = boolean(vars.has_cookie_prefix(p.strings[arg]));
        break;
      case Op::Not:
        stack[sp - 1].n ^= 1u;
        break;
      case Op::JumpIfFalseKeep:
      case Op::JumpIfTrueKeep:
        if ((stack[sp - 1].n != 0) == (op == Op::JumpIfTrueKeep)) {
          pc += arg - 1;  // forward only (verified); the loop adds the last 1
        } else {
          --sp;
        }
        break;
      case Op::Append:
        append_value(*out, stack[--sp], static_cast<AppendMode>(arg));
        if (out->size() > kMaxTemplateOutput) return false;
        break;
      case Op::Ret:
        return p.kind == Kind::Template || stack[0].n != 0;
    }
  }
}

}  // namespace

Result<Program> Program::load(const fxs::ExprProgram& program) {
  auto views = ProgramViews::of(program);
  if (!views) return views.error();
  if (auto r = verify_program(views->view()); !r) return r.error();
  return Program(std::move(views.value()));
}

Result<Program> Program::load(const ExprProgramData& data) {
  auto views = ProgramViews::of(data);
  if (auto r = verify_program(views.view()); !r) return r.error();
  return Program(std::move(views));
}

bool evaluate_predicate(const Program& program, const RequestVars& vars) {
  assert(program.kind() == Kind::Predicate);
  return run(program.view(), vars, nullptr);
}

bool render_template(const Program& program, const RequestVars& vars, std::string& out) {
  assert(program.kind() == Kind::Template);
  out.clear();
  return run(program.view(), vars, &out);
}

bool is_valid_header_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t') || c == 0x7F;
  });
}

}  // namespace flux::runtime::expr
