// Byte helpers shared by the PHP path: percent-decoding (RFC 3986 §2.1), UTF-8 validity
// (RFC 3629 §4), tokens (RFC 9110 §5.6.2), OWS trimming.

#include "runtime/php/text.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

TEST(PhpText, PercentDecodeHandlesBothHexCases) {
  EXPECT_EQ(percent_decode("%41%4a%4A+%20"), "AJJ+ ");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
}

TEST(PhpText, PercentDecodeRejectsTruncatedOrNonHexEscapes) {
  for (const char* s : {"%", "%4", "a%", "%G0", "%0G", "%%41"}) {
    EXPECT_FALSE(percent_decode(s).has_value()) << s;
  }
}

TEST(PhpText, Utf8AcceptsWellFormedSequences) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(PhpText, Utf8RejectsOverlongSurrogatesAndOutOfRange) {
  for (const char* s :
       {"\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80", "\xC2", "\xE2\x82", "\xC2\x41", "\xFF"}) {
    EXPECT_FALSE(is_valid_utf8(s)) << s;
  }
}

TEST(PhpText, TokensFollowRfc9110) {
  EXPECT_TRUE(is_token("X-Custom_1.2~!#$%&'*+^`|"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("a b"));
  EXPECT_FALSE(is_token("a:b"));
  EXPECT_FALSE(is_token("a\"b"));
}

TEST(PhpText, TrimRemovesOnlySpacesAndTabs) {
  EXPECT_EQ(trim_ows(" \t a b \t "), "a b");
  EXPECT_EQ(trim_ows("\na\r"), "\na\r");
  EXPECT_EQ(trim_ows("   "), "");
}

TEST(PhpText, ExtensionIsTextAfterLastDot) {
  EXPECT_EQ(extension_of("a.tar.gz"), "gz");
  EXPECT_EQ(extension_of("file."), "");
  EXPECT_EQ(extension_of("noext"), "");
  EXPECT_EQ(extension_of(".env"), "env");
}

}  // namespace
}  // namespace flux::runtime::php
