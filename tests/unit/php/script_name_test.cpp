// php-behaviour.md §3.1: script-name parse and the deny-prefix check.

#include "runtime/php/script_name.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

ScriptConfig split_config() {
  ScriptConfig c;
  c.allowed_extensions = {"php", "phtml"};
  c.path_info = PathInfoMode::kSplit;
  return c;
}

ParseError error_of(std::string_view path, const ScriptConfig& c = ScriptConfig{}) {
  return parse_script_path(path, c).error;
}

TEST(PhpScriptName, ExplicitScriptEndsAtFirstAllowedExtension) {
  const ParseResult r = parse_script_path("/app/x.php/y.php/z", split_config());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.path.explicit_script);
  EXPECT_EQ(r.path.script_name, "/app/x.php");
  EXPECT_EQ(r.path.path_info, "/y.php/z");
  EXPECT_EQ(r.path.script_segments, 2u);
  EXPECT_EQ(r.path.segments, (std::vector<std::string>{"app", "x.php", "y.php", "z"}));
}

TEST(PhpScriptName, ExtensionMatchIsCaseInsensitive) {
  const ParseResult r = parse_script_path("/A.PhP", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path.script_name, "/A.PhP");
  EXPECT_TRUE(r.path.explicit_script);
}

TEST(PhpScriptName, OtherConfiguredExtensionsCount) {
  const ParseResult r = parse_script_path("/t.phtml", split_config());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path.script_name, "/t.phtml");
}

TEST(PhpScriptName, NoScriptSegmentGivesFrontController) {
  const ParseResult r = parse_script_path("/blog/2024/hello", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.path.explicit_script);
  EXPECT_EQ(r.path.script_name, "/index.php");
  EXPECT_EQ(r.path.path_info, "");
}

TEST(PhpScriptName, SkipsEmptyAndDotSegments) {
  const ParseResult r = parse_script_path("//a/./b//c.php/", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path.script_name, "/a/b/c.php");
  EXPECT_EQ(r.path.path_info, "");  // the trailing empty segment is skipped
}

TEST(PhpScriptName, PathInfoRejectedWhenDisabled) {
  EXPECT_EQ(error_of("/index.php/extra"), ParseError::kPathInfoDisabled);
}

TEST(PhpScriptName, PercentDecodesExactlyOnce) {
  const ParseResult r = parse_script_path("/%2561.php", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path.script_name, "/%61.php");  // not decoded a second time into "/a.php"
  EXPECT_EQ(parse_script_path("/%69ndex.%70hp", ScriptConfig{}).path.script_name, "/index.php");
}

TEST(PhpScriptName, EncodedSlashIsASeparatorAfterDecoding) {
  const ParseResult r = parse_script_path("/a%2Fb.php", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path.script_name, "/a/b.php");
}

TEST(PhpScriptName, RejectsTraversalPlainAndEncoded) {
  for (const char* p : {"/../etc/passwd", "/a/../b.php", "/%2e%2e/x.php", "/%2E%2E%2Fx.php",
                        "/a/%2e%2e/%2e%2e/x", "/..%2fx.php", "/x.php/.."}) {
    EXPECT_EQ(error_of(p, split_config()), ParseError::kInvalidSegment) << p;
  }
}

TEST(PhpScriptName, RejectsHiddenSegments) {
  for (const char* p :
       {"/.git/config", "/.env", "/a/.hidden.php", "/%2egit/HEAD", "/x.php/.secret"}) {
    EXPECT_EQ(error_of(p, split_config()), ParseError::kInvalidSegment) << p;
  }
}

TEST(PhpScriptName, RejectsBackslashColonAndEncodedBackslash) {
  for (const char* p :
       {"/a\\b.php", "/a%5cb.php", "/a%5Cb.php", "/c:x.php", "/x%3a.php", "/index.php::$DATA"}) {
    EXPECT_EQ(error_of(p), ParseError::kInvalidSegment) << p;
  }
}

TEST(PhpScriptName, RejectsTrailingDotAndSpace) {
  EXPECT_EQ(error_of("/index.php."), ParseError::kInvalidSegment);
  EXPECT_EQ(error_of("/index.php%20"), ParseError::kInvalidSegment);
  EXPECT_EQ(error_of("/dir./x.php"), ParseError::kInvalidSegment);
}

TEST(PhpScriptName, RejectsWindowsDeviceNames) {
  for (const char* p : {"/con.php", "/AUX", "/a/nul.txt", "/com1.php", "/LPT9.php",
                        "/com%C2%B9.php", "/conin$.php"}) {
    EXPECT_EQ(error_of(p), ParseError::kInvalidSegment) << p;
  }
}

TEST(PhpScriptName, RejectsControlCharactersRawAndEncoded) {
  EXPECT_EQ(error_of("/index.php%00.txt"), ParseError::kControlCharacter);
  EXPECT_EQ(error_of("/a%0a.php"), ParseError::kControlCharacter);
  EXPECT_EQ(error_of("/a%0D.php"), ParseError::kControlCharacter);
  EXPECT_EQ(error_of("/a%7F.php"), ParseError::kControlCharacter);
  EXPECT_EQ(error_of("/a\t.php"), ParseError::kControlCharacter);
  EXPECT_EQ(error_of("/x.php/%0afoo", split_config()), ParseError::kControlCharacter);
}

TEST(PhpScriptName, RejectsInvalidUtf8AfterDecoding) {
  EXPECT_EQ(error_of("/%ff.php"), ParseError::kInvalidUtf8);
  EXPECT_EQ(error_of("/%C0%AF.php"), ParseError::kInvalidUtf8);     // overlong '/'
  EXPECT_EQ(error_of("/%ED%A0%80.php"), ParseError::kInvalidUtf8);  // surrogate
  EXPECT_EQ(error_of("/%C3"), ParseError::kInvalidUtf8);
  EXPECT_TRUE(parse_script_path("/caf%C3%A9.php", ScriptConfig{}).ok());
}

TEST(PhpScriptName, RejectsMalformedPercentEncoding) {
  for (const char* p : {"/%", "/%2", "/%zz.php", "/a%g1", "/%%"}) {
    EXPECT_EQ(error_of(p), ParseError::kBadPercentEncoding) << p;
  }
}

TEST(PhpScriptName, RejectsRelativeAndEmptyPaths) {
  EXPECT_EQ(error_of(""), ParseError::kNotAbsolute);
  EXPECT_EQ(error_of("index.php"), ParseError::kNotAbsolute);
  EXPECT_EQ(error_of("*"), ParseError::kNotAbsolute);
}

TEST(PhpScriptName, RootPathIsFrontController) {
  const ParseResult r = parse_script_path("/", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.path.segments.empty());
  EXPECT_EQ(r.path.script_name, "/index.php");
}

TEST(PhpScriptName, SegmentWithoutDotHasNoExtension) {
  ScriptConfig c;
  const ParseResult r = parse_script_path("/php/x", c);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.path.explicit_script);
}

TEST(PhpDenyPrefix, MatchesOnSegmentBoundaries) {
  const std::vector<std::string> deny{"/uploads/", "/files", "/wp-content/uploads/"};
  EXPECT_TRUE(is_denied("/uploads/evil.php", deny));
  EXPECT_TRUE(is_denied("/files", deny));
  EXPECT_TRUE(is_denied("/files/a.php", deny));
  EXPECT_TRUE(is_denied("/wp-content/uploads/2024/x.php", deny));
  EXPECT_FALSE(is_denied("/filesystem.php", deny));
  EXPECT_FALSE(is_denied("/uploads", deny));  // "/uploads/" needs the slash
  EXPECT_FALSE(is_denied("/index.php", deny));
  EXPECT_FALSE(is_denied("/index.php", {}));
}

TEST(PhpDenyPrefix, EncodedPrefixIsDeniedAfterParse) {
  const std::vector<std::string> deny{"/uploads/"};
  const ParseResult r = parse_script_path("/%75ploads/evil.php", ScriptConfig{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(is_denied(r.path.script_name, deny));
}

}  // namespace
}  // namespace flux::runtime::php
