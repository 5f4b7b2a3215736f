#pragma once
// Parsed form of a `path_regex` (expressions.md §8), produced by regex_parse.cpp and turned
// into a program by regex_compile.cpp.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/regex/regex.hpp"

namespace flux::snapshot::regex {

using ByteSet = std::bitset<256>;

enum class RKind : std::uint8_t {
  Empty,   // matches the empty string
  Set,     // one byte out of `set` (literals are one-byte sets)
  Begin,   // ^
  End,     // $
  Concat,  // kids in order
  Alt,     // kids by priority
  Repeat,  // kids[0] repeated min..max times (max == kInfinite: unbounded)
  Group,   // kids[0]; capture index `group` (-1: not captured)
};

inline constexpr std::uint32_t kInfinite = 0xFFFFFFFF;

struct RNode {
  RKind kind = RKind::Empty;
  std::size_t offset = 0;  // byte offset in the pattern, for errors
  std::vector<RNode> kids;
  ByteSet set;
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  bool greedy = true;
  int group = -1;
};

struct ParsedRegex {
  RNode root;
  std::vector<std::string> group_names;
};

struct ParseOutcome {
  std::optional<ParsedRegex> regex;
  RegexError error;
};

ParseOutcome parse_regex(std::string_view pattern);

}  // namespace flux::snapshot::regex
