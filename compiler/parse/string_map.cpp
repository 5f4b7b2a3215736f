#include "compiler/parse/string_map.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace flux::compiler {
namespace {

bool starts(std::string_view s, std::size_t at, std::string_view with) {
  return s.substr(at, with.size()) == with;
}

// Number of decoded bytes produced by the escape at `s[i]` (a backslash) and its source length.
std::pair<std::size_t, std::size_t> escape_size(std::string_view s, std::size_t i) {
  const char c = i + 1 < s.size() ? s[i + 1] : '\0';
  auto utf8_len = [](unsigned long cp) -> std::size_t {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  };
  if (c == 'u' || c == 'U') {
    const std::size_t digits = c == 'u' ? 4 : 8;
    const unsigned long cp =
        std::strtoul(std::string(s.substr(i + 2, digits)).c_str(), nullptr, 16);
    return {utf8_len(cp), 2 + digits};
  }
  return {1, 2};
}

}  // namespace

StringMap::StringMap(std::string_view lit, std::uint32_t base) {
  const bool multi = starts(lit, 0, "\"\"\"") || starts(lit, 0, "'''");
  const bool basic = !lit.empty() && lit[0] == '"';
  const std::size_t q = multi ? 3 : 1;
  std::size_t i = q;
  // TOML 1.0: a newline right after the opening delimiter of a multi-line string is trimmed.
  if (multi && starts(lit, i, "\r\n"))
    i += 2;
  else if (multi && starts(lit, i, "\n"))
    i += 1;
  const std::size_t end = lit.size() >= 2 * q ? lit.size() - q : lit.size();
  while (i < end) {
    if (basic && lit[i] == '\\') {
      const std::size_t after = i + 1;
      if (multi && after < end &&
          (lit[after] == ' ' || lit[after] == '\t' || lit[after] == '\n' || lit[after] == '\r')) {
        // Line-ending backslash: skip all whitespace and newlines that follow.
        i = after;
        while (i < end && (lit[i] == ' ' || lit[i] == '\t' || lit[i] == '\n' || lit[i] == '\r'))
          ++i;
        continue;
      }
      const auto [decoded, consumed] = escape_size(lit, i);
      for (std::size_t k = 0; k < decoded; ++k)
        map_.push_back(base + static_cast<std::uint32_t>(i));
      i += consumed;
      continue;
    }
    map_.push_back(base + static_cast<std::uint32_t>(i));
    ++i;
  }
  map_.push_back(base + static_cast<std::uint32_t>(end));
}

std::uint32_t StringMap::source_offset(std::size_t i) const {
  return i < map_.size() ? map_[i] : map_.back();
}

SourceRange StringMap::source_range(FileId file, std::size_t begin, std::size_t end) const {
  const std::uint32_t b = source_offset(begin);
  const std::uint32_t e = end > begin ? source_offset(end) : b;
  return {file, b, std::max(e, b)};
}

}  // namespace flux::compiler
