#pragma once
// php-fpm STDERR handling (php-behaviour.md §9.3): sanitising for the log, truncation, and
// the configured failure patterns.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace flux::runtime::php {

struct StderrText {
  std::string text;                 // sanitized, cut, with the "…[truncated N bytes]" suffix
  std::size_t truncated_bytes = 0;  // sanitized bytes left out (0: nothing was cut)
};

// Bytes 0x00-0x1F except TAB, and 0x7F, become "\xNN"; invalid UTF-8 becomes U+FFFD. The
// result is cut at `max_bytes` between two units (never inside a character or an escape).
StderrText sanitize_stderr(std::string_view raw, std::size_t max_bytes);

// True when any pattern is a byte substring of `raw` (stderr_failure_patterns).
bool matches_failure_pattern(std::string_view raw, std::span<const std::string> patterns);

}  // namespace flux::runtime::php
