// Thompson construction: regex AST -> program (layout in snapshot/regex/program.hpp). The size
// is computed before any instruction is emitted, so `(a{1000}){1000}` fails fast with an error
// instead of allocating (expressions.md §8: compiled program <= 1MiB).
#include <algorithm>

#include "snapshot/regex/program.hpp"
#include "snapshot/regex/regex.hpp"
#include "snapshot/regex/regex_ast.hpp"

namespace flux::snapshot::regex {
namespace {

using prog::Op;

constexpr std::uint64_t kMaxInstructions =
    (kMaxProgramBytes / sizeof(std::uint32_t) - prog::kHeaderWords) / 2;

struct TooLarge {
  std::size_t offset;
};

// Instruction count of `n`, or TooLarge at the first node that exceeds the budget.
std::uint64_t instruction_count(const RNode& n) {
  std::uint64_t c = 0;
  switch (n.kind) {
    case RKind::Empty:
      break;
    case RKind::Set:
    case RKind::Begin:
    case RKind::End:
      c = 1;
      break;
    case RKind::Concat:
    case RKind::Alt:
      for (const auto& k : n.kids) c += instruction_count(k);
      if (n.kind == RKind::Alt) c += 2 * (n.kids.size() - 1);
      break;
    case RKind::Group:
      c = instruction_count(n.kids[0]) + (n.group >= 0 ? 2 : 0);
      break;
    case RKind::Repeat: {
      const std::uint64_t s = instruction_count(n.kids[0]);
      if (n.max == kInfinite) {
        c = n.min == 0 ? s + 2 : n.min * s + 1;
      } else {
        c = n.min * s + (n.max - n.min) * (s + 1);
      }
      break;
    }
  }
  if (c > kMaxInstructions) throw TooLarge{n.offset};
  return c;
}

bool starts_anchored(const RNode& n) {
  switch (n.kind) {
    case RKind::Begin:
      return true;
    case RKind::Group:
      return starts_anchored(n.kids[0]);
    case RKind::Concat:
      return !n.kids.empty() && starts_anchored(n.kids[0]);
    case RKind::Alt:
      return std::all_of(n.kids.begin(), n.kids.end(), starts_anchored);
    default:
      return false;
  }
}

class Compiler {
 public:
  void node(const RNode& n) {
    switch (n.kind) {
      case RKind::Empty:
        return;
      case RKind::Set:
        return byte_set(n.set);
      case RKind::Begin:
        emit(Op::BeginText);
        return;
      case RKind::End:
        emit(Op::EndText);
        return;
      case RKind::Concat:
        for (const auto& k : n.kids) node(k);
        return;
      case RKind::Alt:
        return alternation(n);
      case RKind::Group:
        if (n.group >= 0) emit(Op::Save, 2 * static_cast<std::uint32_t>(n.group));
        node(n.kids[0]);
        if (n.group >= 0) emit(Op::Save, 2 * static_cast<std::uint32_t>(n.group) + 1);
        return;
      case RKind::Repeat:
        return repeat(n);
    }
  }

  std::vector<std::uint32_t> finish(std::size_t groups, bool anchored) {
    emit(Op::Match);
    std::vector<std::uint32_t> code{prog::kMagic, static_cast<std::uint32_t>(insts_.size() / 2),
                                    static_cast<std::uint32_t>(classes_.size()),
                                    static_cast<std::uint32_t>(2 * groups),
                                    anchored ? prog::kAnchoredStart : 0};
    code.insert(code.end(), insts_.begin(), insts_.end());
    for (const auto& set : classes_) {
      for (std::size_t w = 0; w < prog::kClassWords; ++w) {
        std::uint32_t word = 0;
        for (std::size_t b = 0; b < 32; ++b) {
          if (set.test(w * 32 + b)) word |= 1u << b;
        }
        code.push_back(word);
      }
    }
    return code;
  }

 private:
  std::uint32_t here() const { return static_cast<std::uint32_t>(insts_.size() / 2); }
  std::uint32_t emit(Op op, std::uint32_t a = 0, std::uint32_t b = 0) {
    insts_.push_back(prog::word_a(op, a));
    insts_.push_back(b);
    return here() - 1;
  }
  void patch_a(std::uint32_t at, std::uint32_t a) {
    insts_[2 * at] = prog::word_a(prog::op_of(insts_[2 * at]), a);
  }
  void patch_b(std::uint32_t at, std::uint32_t b) { insts_[2 * at + 1] = b; }

  void byte_set(const ByteSet& s) {
    std::size_t lo = 0;
    while (lo < 256 && !s.test(lo)) ++lo;
    std::size_t hi = 255;
    while (hi > lo && !s.test(hi)) --hi;
    if (lo < 256 && s.count() == hi - lo + 1) {
      emit(Op::ByteRange, static_cast<std::uint32_t>(lo | hi << 8));
      return;
    }
    auto it = std::find(classes_.begin(), classes_.end(), s);
    if (it == classes_.end()) it = classes_.insert(classes_.end(), s);
    emit(Op::Class, static_cast<std::uint32_t>(it - classes_.begin()));
  }

  void alternation(const RNode& n) {
    std::vector<std::uint32_t> jumps;
    for (std::size_t i = 0; i + 1 < n.kids.size(); ++i) {
      const std::uint32_t split = emit(Op::Split, here() + 1);
      node(n.kids[i]);
      jumps.push_back(emit(Op::Jmp));
      patch_b(split, here());
    }
    node(n.kids.back());
    for (auto j : jumps) patch_a(j, here());
  }

  // A split preferring `first` (greedy) or `second` (lazy).
  std::uint32_t split(bool greedy, std::uint32_t body, std::uint32_t skip) {
    return greedy ? emit(Op::Split, body, skip) : emit(Op::Split, skip, body);
  }
  void point(std::uint32_t at, bool greedy, std::uint32_t target) {
    if (greedy) {
      patch_b(at, target);
    } else {
      patch_a(at, target);
    }
  }

  void repeat(const RNode& n) {
    const RNode& body = n.kids[0];
    if (n.max == kInfinite) {
      if (n.min == 0) {  // L: split body, out; body; jmp L; out:
        const std::uint32_t loop = split(n.greedy, here() + 1, 0);
        node(body);
        emit(Op::Jmp, loop);
        point(loop, n.greedy, here());
        return;
      }
      for (std::uint32_t i = 0; i + 1 < n.min; ++i) node(body);
      const std::uint32_t start = here();  // x+: L: body; split L, out
      node(body);
      split(n.greedy, start, here() + 1);
      return;
    }
    for (std::uint32_t i = 0; i < n.min; ++i) node(body);
    std::vector<std::uint32_t> skips;  // x{0,3} = (x(x(x)?)?)?: every skip lands at the end
    for (std::uint32_t i = n.min; i < n.max; ++i) {
      skips.push_back(split(n.greedy, here() + 1, 0));
      node(body);
    }
    for (auto s : skips) point(s, n.greedy, here());
  }

  std::vector<std::uint32_t> insts_;
  std::vector<ByteSet> classes_;
};

}  // namespace

RegexCompileResult compile_regex(std::string_view pattern) {
  auto parsed = parse_regex(pattern);
  if (!parsed.regex) return RegexCompileResult{std::nullopt, parsed.error};
  const RNode& root = parsed.regex->root;
  try {
    instruction_count(root);
  } catch (const TooLarge& t) {
    return RegexCompileResult{std::nullopt,
                              RegexError{t.offset, "regex program larger than 1 MiB"}};
  }
  Compiler c;
  c.node(root);
  CompiledRegex out{c.finish(parsed.regex->group_names.size(), starts_anchored(root)),
                    std::move(parsed.regex->group_names)};
  if (out.code.size() * sizeof(std::uint32_t) > kMaxProgramBytes) {
    return RegexCompileResult{std::nullopt, RegexError{0, "regex program larger than 1 MiB"}};
  }
  return RegexCompileResult{std::move(out), {}};
}

}  // namespace flux::snapshot::regex
