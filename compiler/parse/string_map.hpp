#pragma once
// Maps byte offsets inside a decoded TOML string back to the source file, so a diagnostic about
// part of a string (an expression token, expressions.md §7) points at the right column even
// after escape sequences.

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/source/source_manager.hpp"

namespace flux::compiler {

class StringMap {
 public:
  // `literal` is the raw source text of the string value, quotes included; `base` its offset.
  StringMap(std::string_view literal, std::uint32_t base);
  // Source offset of decoded byte `i` (i == decoded size gives the closing quote).
  std::uint32_t source_offset(std::size_t i) const;
  SourceRange source_range(FileId file, std::size_t begin, std::size_t end) const;

 private:
  std::vector<std::uint32_t> map_;
};

}  // namespace flux::compiler
