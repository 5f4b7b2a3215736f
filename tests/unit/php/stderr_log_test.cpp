// php-behaviour.md §9.3: STDERR sanitising, truncation and failure patterns.

#include "runtime/php/stderr_log.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

TEST(PhpStderr, EscapesControlBytesButKeepsTab) {
  const StderrText t = sanitize_stderr(std::string_view("a\tb\nc\x7f\0d", 8), 100);
  EXPECT_EQ(t.text, "a\tb\\x0ac\\x7f\\x00d");
  EXPECT_EQ(t.truncated_bytes, 0u);
}

TEST(PhpStderr, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(sanitize_stderr("ok \xC3\xA9 \xFF \xC3", 100).text,
            "ok \xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD");
  EXPECT_EQ(sanitize_stderr("\xED\xA0\x80", 100).text,  // surrogate: 3 invalid bytes
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(PhpStderr, TruncatesWithSuffixCountingLeftOutBytes) {
  const StderrText t = sanitize_stderr("0123456789", 4);
  EXPECT_EQ(t.text, "0123\xE2\x80\xA6[truncated 6 bytes]");
  EXPECT_EQ(t.truncated_bytes, 6u);
}

TEST(PhpStderr, NeverCutsInsideAnEscapeOrCharacter) {
  EXPECT_EQ(sanitize_stderr("ab\ncd", 4).text, "ab\xE2\x80\xA6[truncated 6 bytes]");
  EXPECT_EQ(sanitize_stderr("a\xC3\xA9", 2).text, "a\xE2\x80\xA6[truncated 2 bytes]");
}

TEST(PhpStderr, ExactFitIsNotTruncated) {
  const StderrText t = sanitize_stderr("abcd", 4);
  EXPECT_EQ(t.text, "abcd");
  EXPECT_EQ(t.truncated_bytes, 0u);
}

TEST(PhpStderr, FailurePatternsAreByteSubstrings) {
  const std::vector<std::string> patterns{"PHP Fatal error", "Allowed memory size"};
  EXPECT_TRUE(matches_failure_pattern("x PHP Fatal error: y", patterns));
  EXPECT_FALSE(matches_failure_pattern("php fatal error", patterns));
  EXPECT_FALSE(matches_failure_pattern("", patterns));
  EXPECT_FALSE(matches_failure_pattern("PHP Fatal error", {}));
}

}  // namespace
}  // namespace flux::runtime::php
