#include "compiler/source/source_manager.hpp"

#include <algorithm>

namespace flux::compiler {

std::uint32_t count_scalars(std::string_view bytes) {
  std::uint32_t n = 0;
  for (unsigned char c : bytes) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

FileId SourceManager::add(std::string name, std::string text) {
  File f{std::move(name), std::move(text), {0}};
  for (std::uint32_t i = 0; i < f.text.size(); ++i) {
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

std::uint32_t SourceManager::line_start(FileId id, std::uint32_t line) const {
  const auto& starts = files_[id].line_starts;
  if (line == 0) return 0;
  if (line > starts.size()) return static_cast<std::uint32_t>(files_[id].text.size());
  return starts[line - 1];
}

LineCol SourceManager::line_col(FileId id, std::uint32_t offset) const {
  const auto& f = files_[id];
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
  const auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
  const std::uint32_t start = f.line_starts[line - 1];
  return {line, 1 + count_scalars(std::string_view(f.text).substr(start, offset - start))};
}

std::uint32_t SourceManager::offset_of(FileId id, std::uint32_t line, std::uint32_t column) const {
  const auto& f = files_[id];
  std::uint32_t off = line_start(id, line);
  // Advance column-1 scalar values: a lead byte plus its continuation bytes each.
  for (std::uint32_t col = 1; col < column && off < f.text.size(); ++col) {
    ++off;
    while (off < f.text.size() && (static_cast<unsigned char>(f.text[off]) & 0xC0) == 0x80) ++off;
  }
  return off;
}

std::string_view SourceManager::line_text(FileId id, std::uint32_t line) const {
  const auto& f = files_[id];
  const std::uint32_t start = line_start(id, line);
  std::size_t end = f.text.find('\n', start);
  if (end == std::string::npos) end = f.text.size();
  if (end > start && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(start, end - start);
}

}  // namespace flux::compiler
