#pragma once
// Owns the text of every input (site.toml and the embedded presets). Locations are byte offsets;
// they become line:column only when a diagnostic is printed (style.md "Diagnostics as data").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flux::compiler {

using FileId = std::uint32_t;

struct SourceRange {
  FileId file = 0;
  std::uint32_t begin = 0;  // byte offset, inclusive
  std::uint32_t end = 0;    // byte offset, exclusive
};

struct LineCol {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in Unicode scalar values (cli.md §2)
};

class SourceManager {
 public:
  FileId add(std::string name, std::string text);

  const std::string& name(FileId id) const { return files_[id].name; }
  std::string_view text(FileId id) const { return files_[id].text; }

  LineCol line_col(FileId id, std::uint32_t offset) const;
  // Inverse of line_col for toml++ positions (1-based line, column in scalar values).
  std::uint32_t offset_of(FileId id, std::uint32_t line, std::uint32_t column) const;
  // The text of a 1-based line without its line terminator.
  std::string_view line_text(FileId id, std::uint32_t line) const;
  std::uint32_t line_start(FileId id, std::uint32_t line) const;

 private:
  struct File {
    std::string name;
    std::string text;
    std::vector<std::uint32_t> line_starts;
  };
  std::vector<File> files_;
};

// Number of Unicode scalar values in `bytes` (UTF-8 continuation bytes are not counted).
std::uint32_t count_scalars(std::string_view bytes);

}  // namespace flux::compiler
