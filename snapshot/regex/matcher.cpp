// Pike VM (expressions.md §8): all threads advance in lock step over the subject, at most one
// thread per instruction per position, priorities kept in list order (RE2's leftmost-first).
// Cost: O(instructions × (subject + 1)), counted in MatchStats::steps.
#include "snapshot/regex/matcher.hpp"

#include <string>

#include "snapshot/regex/program.hpp"
#include "snapshot/regex/regex.hpp"

namespace flux::snapshot::regex {
namespace {

using prog::Op;

constexpr std::uint32_t kUnset = 0xFFFFFFFF;
constexpr std::uint32_t kRestore = 0x80000000;  // stack entry tag: restore a capture slot

struct View {
  std::uint32_t n = 0;
  std::uint32_t slots = 0;
  bool anchored = false;
  const std::uint32_t* insts = nullptr;
  const std::uint32_t* classes = nullptr;

  explicit View(std::span<const std::uint32_t> code)
      : n(code[1]),
        slots(code[3]),
        anchored((code[4] & prog::kAnchoredStart) != 0),
        insts(code.data() + prog::kHeaderWords),
        classes(code.data() + prog::kHeaderWords + 2 * std::size_t{code[1]}) {}

  bool in_class(std::uint32_t k, unsigned char c) const {
    return (classes[k * prog::kClassWords + (c >> 5)] >> (c & 31)) & 1u;
  }
};

Error bad(std::size_t pc, const std::string& what) {
  return make_error("regex program: instruction " + std::to_string(pc) + ": " + what);
}

Result<void> verify_instruction(const View& v, std::uint32_t classes, std::uint32_t pc) {
  const std::uint32_t a = v.insts[2 * pc];
  const std::uint32_t b = v.insts[2 * pc + 1];
  const auto op = static_cast<std::uint8_t>(prog::op_of(a));
  const std::uint32_t x = prog::operand_of(a);
  if (op == 0 || op > prog::kMaxOp) return bad(pc, "unknown opcode");
  if (prog::op_of(a) != Op::Split && b != 0) return bad(pc, "unused operand is not zero");
  switch (prog::op_of(a)) {
    case Op::ByteRange:
      if (x > 0xFFFF || prog::range_lo(a) > prog::range_hi(a)) return bad(pc, "bad byte range");
      break;
    case Op::Class:
      if (x >= classes) return bad(pc, "class out of range");
      break;
    case Op::Split:
      if (x >= v.n || b >= v.n) return bad(pc, "branch target out of range");
      break;
    case Op::Jmp:
      if (x >= v.n) return bad(pc, "branch target out of range");
      break;
    case Op::Save:
      if (x >= v.slots) return bad(pc, "capture slot out of range");
      break;
    default:
      if (x != 0) return bad(pc, "unexpected operand");
  }
  const bool falls_through =
      prog::op_of(a) != Op::Match && prog::op_of(a) != Op::Jmp && prog::op_of(a) != Op::Split;
  if (falls_through && pc + 1 >= v.n) return bad(pc, "falls off the end of the program");
  return {};
}

// Adds the thread `pc` (and everything reachable through empty-width instructions) to `list`
// in priority order, with the captures in `cap`.
class Vm {
 public:
  Vm(const View& v, std::string_view subject, MatchScratch& s, MatchStats* stats)
      : v_(v), subject_(subject), s_(s), stats_(stats) {
    const std::size_t n = v.n;
    s_.sparse.assign(2 * n, 0);
    s_.dense_a.resize(n);
    s_.dense_b.resize(n);
    s_.caps_a.resize(n * v.slots);
    s_.caps_b.resize(n * v.slots);
    s_.stack_caps.assign(v.slots, kUnset);
    s_.unset.assign(v.slots, kUnset);
    s_.stack.clear();
    lists_[0] = List{s_.sparse.data(), s_.dense_a.data(), s_.caps_a.data(), 0};
    lists_[1] = List{s_.sparse.data() + n, s_.dense_b.data(), s_.caps_b.data(), 0};
  }

  bool run(std::span<Capture> groups);

 private:
  struct List {
    std::uint32_t* sparse;
    std::uint32_t* dense;
    std::uint32_t* caps;
    std::uint32_t size;
    bool contains(std::uint32_t pc) const { return sparse[pc] < size && dense[sparse[pc]] == pc; }
  };

  void count() {
    if (stats_ != nullptr) ++stats_->steps;
  }
  void add(List& list, std::uint32_t pc0, std::size_t pos, const std::uint32_t* caps);
  void step(List& clist, List& nlist, std::size_t pos);

  const View& v_;
  std::string_view subject_;
  MatchScratch& s_;
  MatchStats* stats_;
  List lists_[2];
  bool matched_ = false;
};

void Vm::add(List& list, std::uint32_t pc0, std::size_t pos, const std::uint32_t* caps) {
  std::uint32_t* cap = s_.stack_caps.data();
  std::copy(caps, caps + v_.slots, cap);
  auto& stack = s_.stack;  // pairs: (pc | kRestore-tagged slot, saved value)
  stack.push_back(pc0);
  stack.push_back(0);
  while (!stack.empty()) {
    const std::uint32_t value = stack.back();
    stack.pop_back();
    const std::uint32_t pc = stack.back();
    stack.pop_back();
    if ((pc & kRestore) != 0) {
      cap[pc & ~kRestore] = value;
      continue;
    }
    if (list.contains(pc)) continue;
    list.sparse[pc] = list.size;
    list.dense[list.size] = pc;
    const std::uint32_t slot = list.size++;
    count();
    const std::uint32_t a = v_.insts[2 * pc];
    const std::uint32_t x = prog::operand_of(a);
    auto push = [&stack](std::uint32_t p, std::uint32_t val) {
      stack.push_back(p);
      stack.push_back(val);
    };
    switch (prog::op_of(a)) {
      case Op::Jmp:
        push(x, 0);
        break;
      case Op::Split:  // explore x first: it has the higher priority
        push(v_.insts[2 * pc + 1], 0);
        push(x, 0);
        break;
      case Op::Save:
        push(kRestore | x, cap[x]);
        cap[x] = static_cast<std::uint32_t>(pos);
        push(pc + 1, 0);
        break;
      case Op::BeginText:
        if (pos == 0) push(pc + 1, 0);
        break;
      case Op::EndText:
        if (pos == subject_.size()) push(pc + 1, 0);
        break;
      default:  // consuming instructions and MATCH wait in the list with their captures
        std::copy(cap, cap + v_.slots, list.caps + std::size_t{slot} * v_.slots);
    }
  }
}

void Vm::step(List& clist, List& nlist, std::size_t pos) {
  const bool have_byte = pos < subject_.size();
  const unsigned c = have_byte ? static_cast<unsigned char>(subject_[pos]) : 0u;
  for (std::uint32_t i = 0; i < clist.size; ++i) {
    const std::uint32_t pc = clist.dense[i];
    const std::uint32_t a = v_.insts[2 * pc];
    const std::uint32_t* caps = clist.caps + std::size_t{i} * v_.slots;
    count();
    bool advance = false;
    switch (prog::op_of(a)) {
      case Op::ByteRange:
        advance = have_byte && c >= prog::range_lo(a) && c <= prog::range_hi(a);
        break;
      case Op::Class:
        advance = have_byte && v_.in_class(prog::operand_of(a), c);
        break;
      case Op::Match:
        matched_ = true;
        s_.best.assign(caps, caps + v_.slots);
        return;  // lower-priority threads can no longer win (leftmost-first)
      default:
        break;
    }
    if (advance) add(nlist, pc + 1, pos + 1, caps);
  }
}

bool Vm::run(std::span<Capture> groups) {
  List* clist = &lists_[0];
  List* nlist = &lists_[1];
  for (std::size_t pos = 0;; ++pos) {
    // A new thread starts at every position until a match is found (unanchored search),
    // with the lowest priority, so earlier starts win.
    if (!matched_ && (pos == 0 || !v_.anchored)) add(*clist, 0, pos, s_.unset.data());
    if (clist->size == 0 && (matched_ || v_.anchored)) break;
    nlist->size = 0;
    step(*clist, *nlist, pos);
    if (pos == subject_.size()) break;
    std::swap(clist, nlist);
  }
  if (!matched_) return false;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::uint32_t b = s_.best[2 * g];
    const std::uint32_t e = s_.best[2 * g + 1];
    groups[g] = b != kUnset && e != kUnset ? Capture{b, e, true} : Capture{};
  }
  return true;
}

}  // namespace

Result<void> verify_regex_program(std::span<const std::uint32_t> code, std::size_t group_count) {
  if (code.size() < prog::kHeaderWords || code[0] != prog::kMagic) {
    return make_error("regex program: bad header");
  }
  const std::uint64_t n = code[1];
  const std::uint64_t classes = code[2];
  if (n == 0 || code.size() != prog::kHeaderWords + 2 * n + prog::kClassWords * classes) {
    return make_error("regex program: size does not match its header");
  }
  if (code.size() * sizeof(std::uint32_t) > kMaxProgramBytes) {
    return make_error("regex program larger than 1 MiB");
  }
  if (group_count > kMaxNamedGroups || code[3] != 2 * group_count) {
    return make_error("regex program: capture slots do not match the group names");
  }
  if (code[4] > prog::kAnchoredStart) return make_error("regex program: unknown flags");
  const View v(code);
  for (std::uint32_t pc = 0; pc < v.n; ++pc) {
    if (auto r = verify_instruction(v, static_cast<std::uint32_t>(classes), pc); !r) return r;
  }
  return {};
}

Result<Matcher> Matcher::load(std::span<const std::uint32_t> code, std::size_t group_count) {
  if (auto r = verify_regex_program(code, group_count); !r) return r.error();
  return Matcher(code, group_count);
}

bool Matcher::match(std::string_view subject, std::span<Capture> groups, MatchScratch& scratch,
                    MatchStats* stats) const {
  const View v(code_);
  Vm vm(v, subject, scratch, stats);
  return vm.run(groups.subspan(0, std::min(groups.size(), group_count_)));
}

bool Matcher::match(std::string_view subject, std::span<Capture> groups) const {
  MatchScratch scratch;
  return match(subject, groups, scratch);
}

}  // namespace flux::snapshot::regex
