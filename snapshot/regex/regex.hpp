#pragma once
// `path_regex` compiler (expressions.md §8): RE2 syntax subset, linear-time semantics. The
// compiled program is stored as fxs::RegexProgram.code ([uint32]) with its group names, and run
// by the Pike VM in snapshot/regex/matcher.hpp.
//
// The engine works on bytes (like RE2's Latin-1 mode): `.` and negated classes match one byte
// other than `\n`; non-ASCII text in a pattern matches its UTF-8 bytes literally; non-ASCII
// bytes inside `[...]` are rejected, because a class of bytes would silently split UTF-8
// characters.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flux::snapshot::regex {

inline constexpr std::size_t kMaxPatternBytes = 4096;  // config-reference.md §7.4
inline constexpr std::size_t kMaxNamedGroups = 16;     // expressions.md §8
inline constexpr std::size_t kMaxGroupNameBytes = 64;
inline constexpr std::uint32_t kMaxRepeat = 1000;  // {m,n}: n <= 1000
inline constexpr std::size_t kMaxProgramBytes = 1u << 20;

struct RegexError {
  std::size_t offset = 0;  // byte offset into the pattern (== size() for "end of pattern")
  std::string message;     // e.g. "missing closing `)`"; fluxc reports it as FX0408
};

struct CompiledRegex {
  std::vector<std::uint32_t> code;       // fxs::RegexProgram.code
  std::vector<std::string> group_names;  // fxs::RegexProgram.group_names, in pattern order
};

struct RegexCompileResult {
  std::optional<CompiledRegex> regex;  // set on success
  RegexError error;                    // meaningful only when !regex
  bool ok() const { return regex.has_value(); }
};

RegexCompileResult compile_regex(std::string_view pattern);

}  // namespace flux::snapshot::regex
