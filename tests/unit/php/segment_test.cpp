// php-behaviour.md §3.3: the valid-path-segment rule.

#include "runtime/php/segment.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

bool valid(std::string_view s) { return is_valid_segment(s, HiddenSegments::kReject); }

TEST(PhpSegment, AcceptsPlainNames) {
  EXPECT_TRUE(valid("index.php"));
  EXPECT_TRUE(valid("wp-login.php"));
  EXPECT_TRUE(valid("a b.php"));
  EXPECT_TRUE(valid("caf\xC3\xA9.php"));
  EXPECT_TRUE(valid("console.php"));  // stem "CONSOLE" is not a device
  EXPECT_TRUE(valid("com10.php"));    // only one digit follows COM
  EXPECT_TRUE(valid("com0.php"));
}

TEST(PhpSegment, RejectsEmptyDotAndDotDot) {
  EXPECT_FALSE(valid(""));
  EXPECT_FALSE(valid("."));
  EXPECT_FALSE(valid(".."));
  EXPECT_FALSE(is_valid_segment("..", HiddenSegments::kAllow));
}

TEST(PhpSegment, RejectsHiddenSegmentsUnlessAllowed) {
  EXPECT_FALSE(valid(".git"));
  EXPECT_FALSE(valid(".env"));
  EXPECT_TRUE(is_valid_segment(".well-known", HiddenSegments::kAllow));
}

TEST(PhpSegment, RejectsTrailingDotOrSpace) {
  EXPECT_FALSE(valid("index.php."));
  EXPECT_FALSE(valid("index.php "));
  EXPECT_FALSE(valid("index."));
}

TEST(PhpSegment, RejectsSeparatorsColonAndControlCharacters) {
  EXPECT_FALSE(valid("a/b"));
  EXPECT_FALSE(valid("a\\b"));
  EXPECT_FALSE(valid("c:x"));
  EXPECT_FALSE(valid("index.php::$DATA"));
  EXPECT_FALSE(valid(std::string_view("a\0b", 3)));
  EXPECT_FALSE(valid("a\nb"));
  EXPECT_FALSE(valid("a\tb"));
  EXPECT_FALSE(
      valid("a\x7f"
            "b"));
  EXPECT_FALSE(
      valid("a\x1f"
            "b"));
}

TEST(PhpSegment, RejectsWindowsDeviceNamesInAnyCaseAndWithExtension) {
  for (const char* name : {"CON", "con", "Prn", "aux.php", "NUL.txt", "nul.tar.gz", "CONIN$",
                           "conout$.php", "COM1", "com9.php", "LPT1", "lpt5.txt"}) {
    EXPECT_FALSE(valid(name)) << name;
    EXPECT_TRUE(is_windows_device_name(name)) << name;
  }
}

TEST(PhpSegment, RejectsDeviceNamesWithSuperscriptDigits) {
  EXPECT_FALSE(valid("COM\xC2\xB9"));         // COM¹
  EXPECT_FALSE(valid("lpt\xC2\xB2.php"));     // lpt².php
  EXPECT_FALSE(valid("Com\xC2\xB3.txt"));     // Com³.txt
  EXPECT_TRUE(valid("COM\xC2\xB4.php"));      // ´ is not a superscript digit
  EXPECT_TRUE(valid("COM\xE2\x81\xB4.php"));  // ⁴ is not one of ¹²³
}

TEST(PhpSegment, DeviceNameIsJudgedBeforeFirstDot) {
  EXPECT_FALSE(valid("con.d.php"));
  EXPECT_TRUE(valid("x.con"));
  EXPECT_TRUE(valid("icon.php"));
}

}  // namespace
}  // namespace flux::runtime::php
