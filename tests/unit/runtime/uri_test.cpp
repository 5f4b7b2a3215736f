#include <gtest/gtest.h>

#include "runtime/http/request.hpp"
#include "runtime/http/uri.hpp"

namespace flux::runtime::http {
namespace {

TEST(SplitTarget, OriginFormKeepsRawQuery) {
  auto t = split_target("/a%20b?x=1&y");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/a%20b");
  EXPECT_EQ(t->query, "x=1&y");
  EXPECT_TRUE(t->has_query);
  EXPECT_FALSE(t->absolute_form);
}

TEST(SplitTarget, AbsoluteFormTakesAuthorityAndDefaultsPathToSlash) {
  auto t = split_target("http://Example.test:8080?q");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->absolute_form);
  EXPECT_EQ(t->authority, "Example.test:8080");
  EXPECT_EQ(t->path, "/");
  EXPECT_EQ(t->query, "q");
}

TEST(SplitTarget, RejectsAuthorityAndAsteriskForm) {
  EXPECT_FALSE(split_target("example.test:443"));
  EXPECT_FALSE(split_target("*"));
  EXPECT_FALSE(split_target(""));
}

TEST(DecodeUnreserved, DecodesOnlyUnreservedCharacters) {
  EXPECT_EQ(decode_unreserved("/%61dmin"), "/admin");
  EXPECT_EQ(decode_unreserved("/a%2Fb"), "/a%2Fb");
  EXPECT_EQ(decode_unreserved("/%7e%2e"), "/~.");
  EXPECT_EQ(decode_unreserved("/bad%zz%4"), "/bad%zz%4");
}

TEST(DecodePathOnce, RefusesEncodedSlashNulControlAndBadUtf8) {
  DecodeError e{};
  EXPECT_FALSE(decode_path_once("/a%2fb", &e));
  EXPECT_EQ(e, DecodeError::kEncodedSlash);
  EXPECT_FALSE(decode_path_once("/a%5cb", &e));
  EXPECT_EQ(e, DecodeError::kEncodedSlash);
  EXPECT_FALSE(decode_path_once("/a%00", &e));
  EXPECT_EQ(e, DecodeError::kNul);
  EXPECT_FALSE(decode_path_once("/a%0a", &e));
  EXPECT_EQ(e, DecodeError::kControl);
  EXPECT_FALSE(decode_path_once("/%c0%af", &e));  // overlong '/'
  EXPECT_EQ(e, DecodeError::kBadUtf8);
  EXPECT_FALSE(decode_path_once("/%ff", &e));
  EXPECT_FALSE(decode_path_once("/%4", &e));
  EXPECT_EQ(e, DecodeError::kBadEscape);
}

TEST(DecodePathOnce, DecodesExactlyOnce) {
  DecodeError e{};
  EXPECT_EQ(decode_path_once("/%252e%252e/x", &e).value(), "/%2e%2e/x");
  EXPECT_EQ(decode_path_once("/caf%C3%A9", &e).value(), "/café");
}

TEST(NormalizePath, ResolvesDotSegmentsWithoutClimbingAboveRoot) {
  EXPECT_EQ(normalize_path("/a/./b//c").value(), "/a/b/c");
  EXPECT_EQ(normalize_path("/a/b/../c").value(), "/a/c");
  EXPECT_EQ(normalize_path("/a/b/..").value(), "/a/");
  EXPECT_EQ(normalize_path("/").value(), "/");
  EXPECT_EQ(normalize_path("/dir/").value(), "/dir/");
  EXPECT_FALSE(normalize_path("/.."));
  EXPECT_FALSE(normalize_path("/a/../../etc/passwd"));
}

TEST(PathHasPrefix, IsSegmentAware) {
  EXPECT_TRUE(path_has_prefix("/api", "/api"));
  EXPECT_TRUE(path_has_prefix("/api/x", "/api"));
  EXPECT_FALSE(path_has_prefix("/apix", "/api"));
  EXPECT_TRUE(path_has_prefix("/static/x", "/static/"));
  EXPECT_FALSE(path_has_prefix("/static", "/static/"));
}

TEST(EncodePath, EscapesEverythingButUnreservedAndSlash) {
  EXPECT_EQ(encode_path("/a b/<c>"), "/a%20b/%3Cc%3E");
}

}  // namespace
}  // namespace flux::runtime::http

namespace flux::runtime::http {
namespace {

TEST(Iequals, FoldsOnlyAsciiLetters) {
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("abc", "abcd"));
  EXPECT_FALSE(iequals("@", "`"));  // 0x40 / 0x60 differ only in the case bit, but are not letters
  EXPECT_FALSE(iequals("[", "{"));
  EXPECT_FALSE(iequals("x-a", "x_a"));
}

}  // namespace
}  // namespace flux::runtime::http
