#pragma once
// Pike VM over a compiled regex program (expressions.md §8): one pass over the subject, at most
// one thread per instruction, so a match costs O(program × subject) with no backtracking.
// Submatch semantics are RE2's leftmost-first (Perl-like priorities). A pattern that starts
// with `^` is anchored at the start of the path; otherwise the match may start anywhere. `$`
// matches only at the end of the path.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "snapshot/result.hpp"

namespace flux::snapshot::regex {

struct Capture {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool matched = false;
};

// Work counters, for the linear-time tests and for metrics.
struct MatchStats {
  std::uint64_t steps = 0;  // instructions executed over all threads and positions
};

// Per-thread reusable buffers, so a match does not allocate once warmed up.
struct MatchScratch {
  std::vector<std::uint32_t> sparse;
  std::vector<std::uint32_t> dense_a, dense_b;
  std::vector<std::uint32_t> caps_a, caps_b;
  std::vector<std::uint32_t> stack;
  std::vector<std::uint32_t> stack_caps;
  std::vector<std::uint32_t> unset;
  std::vector<std::uint32_t> best;
};

// Structural check of an untrusted program (snapshot load, cli.md §4 step 4): header, every
// instruction and branch target, class indices, capture slots against `group_count`.
Result<void> verify_regex_program(std::span<const std::uint32_t> code, std::size_t group_count);

class Matcher {
 public:
  // Verifies first; `code` must outlive the matcher (it points into the snapshot).
  static Result<Matcher> load(std::span<const std::uint32_t> code, std::size_t group_count);

  std::size_t group_count() const { return group_count_; }

  // True when the pattern matches `subject`. `groups` (size >= group_count(), may be empty to
  // skip captures) receives the named captures in group_names order.
  bool match(std::string_view subject, std::span<Capture> groups, MatchScratch& scratch,
             MatchStats* stats = nullptr) const;
  bool match(std::string_view subject, std::span<Capture> groups = {}) const;

 private:
  Matcher(std::span<const std::uint32_t> code, std::size_t group_count)
      : code_(code), group_count_(group_count) {}

  std::span<const std::uint32_t> code_;
  std::size_t group_count_ = 0;
};

}  // namespace flux::snapshot::regex
