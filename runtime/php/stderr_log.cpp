#include "runtime/php/stderr_log.hpp"

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

// The sanitized form of the unit that starts at raw[i]; `len` receives its raw length.
std::string_view next_unit(std::string_view raw, std::size_t i, std::size_t& len, char* esc) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char c = raw[i];
  len = 1;
  if (c != '\t' && is_ctl(c)) {
    const auto u = static_cast<unsigned char>(c);
    esc[0] = '\\';
    esc[1] = 'x';
    esc[2] = kHex[u >> 4];
    esc[3] = kHex[u & 0xf];
    return std::string_view(esc, 4);
  }
  const std::size_t n = utf8_sequence_length(raw, i);
  if (n == 0) return kReplacement;  // one invalid byte -> one U+FFFD
  len = n;
  return raw.substr(i, n);
}

}  // namespace

StderrText sanitize_stderr(std::string_view raw, std::size_t max_bytes) {
  StderrText out;
  char esc[4];
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t len = 0;
    const std::string_view unit = next_unit(raw, i, len, esc);
    i += len;
    if (out.truncated_bytes == 0 && out.text.size() + unit.size() <= max_bytes) {
      out.text.append(unit);
    } else {
      out.truncated_bytes += unit.size();
    }
  }
  if (out.truncated_bytes > 0) {
    out.text.append(kEllipsis);
    out.text.append("[truncated " + std::to_string(out.truncated_bytes) + " bytes]");
  }
  return out;
}

bool matches_failure_pattern(std::string_view raw, std::span<const std::string> patterns) {
  for (const std::string& p : patterns) {
    if (!p.empty() && raw.find(p) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace flux::runtime::php
