// The request side of the cache policy (config-reference.md §10): bypass rules and keys.

#include "runtime/cache/request_rules.hpp"

#include <gtest/gtest.h>

#include "test_vars.hpp"

namespace flux::runtime::cache {
namespace {

using test::TestRequest;

Bypass bypass(const CachePolicy& p, const TestRequest& r) {
  return bypass_reason(p, r.facts(), r.vars());
}

TEST(CacheBypass, MethodsOutsideTheListBypass) {
  CachePolicy p;
  EXPECT_EQ(bypass(p, TestRequest("GET", "/")), Bypass::kNone);
  EXPECT_EQ(bypass(p, TestRequest("HEAD", "/")), Bypass::kNone);
  EXPECT_EQ(bypass(p, TestRequest("POST", "/")), Bypass::kMethod);
  p.methods = {"GET"};
  EXPECT_EQ(bypass(p, TestRequest("HEAD", "/")), Bypass::kMethod);
}

TEST(CacheBypass, ProtocolSwitchesAlwaysBypass) {
  const CachePolicy p;
  EXPECT_EQ(bypass(p, TestRequest("GET", "/ws", {{"Upgrade", "websocket"}})), Bypass::kUpgrade);
}

TEST(CacheBypass, ExactPathsAndSegmentAwarePrefixes) {
  CachePolicy p;
  p.bypass_path_exact = {"/wp-login.php"};
  p.bypass_path_prefixes = {"/wp-admin/", "/feed"};
  EXPECT_EQ(bypass(p, TestRequest("GET", "/wp-login.php")), Bypass::kPath);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/wp-login.php/x")), Bypass::kNone);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/wp-admin/post.php")), Bypass::kPath);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/feed")), Bypass::kPath);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/feed/rss")), Bypass::kPath);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/feedback")), Bypass::kNone);
}

TEST(CacheBypass, RequestHeaderPresenceAndExactValues) {
  CachePolicy p;
  p.bypass_request_headers = {"authorization"};
  p.bypass_request_header_values = {{"x-preview", "on"}};
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Authorization", "Bearer x"}})), Bypass::kHeader);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"X-Preview", "on"}})), Bypass::kHeader);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"X-Preview", "ON"}})), Bypass::kNone);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"X-Other", "on"}})), Bypass::kNone);
}

TEST(CacheBypass, CookieNamesPrefixesAndValues) {
  CachePolicy p;
  p.bypass_cookie_names = {"session"};
  p.bypass_cookie_name_prefixes = {"wordpress_logged_in_"};
  p.bypass_cookie_values = {{"mode", "edit"}};
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Cookie", "a=1; session=x"}})), Bypass::kCookie);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Cookie", "wordpress_logged_in_abc=u"}})),
            Bypass::kCookie);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Cookie", "mode=edit"}})), Bypass::kCookie);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Cookie", "mode=view; sessions=1"}})),
            Bypass::kNone);
  // A cookie *value* that looks like a bypassed name does not count.
  EXPECT_EQ(bypass(p, TestRequest("GET", "/", {{"Cookie", "x=session"}})), Bypass::kNone);
}

TEST(CacheBypass, QueryParametersValuesAndAnyQuery) {
  CachePolicy p;
  p.bypass_query_params = {"preview"};
  p.bypass_query_values = {{"page", "2"}};
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?preview")), Bypass::kQuery);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?%70review=true")), Bypass::kQuery);  // decoded once
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?page=2")), Bypass::kQuery);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?page=3")), Bypass::kNone);
  p.bypass_query = true;
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?page=3")), Bypass::kQuery);
  EXPECT_EQ(bypass(p, TestRequest("GET", "/?")), Bypass::kNone);  // present but empty
  EXPECT_EQ(bypass(p, TestRequest("GET", "/")), Bypass::kNone);
}

std::string key(const CachePolicy& p, const TestRequest& r,
                const std::optional<std::string>& body = std::nullopt) {
  return build_key(p, r.facts(), body, r.vars());
}

TEST(CacheKey, DefaultPartsInFixedOrder) {
  CachePolicy p;
  EXPECT_EQ(key(p, TestRequest("GET", "/a/b?x=1")), "GET example.test/a/b?x=1");
  EXPECT_EQ(key(p, TestRequest("GET", "/a/b")), "GET example.test/a/b");
  EXPECT_EQ(key(p, TestRequest("GET", "/a/b?")), "GET example.test/a/b?");
  p.key_parts = {false, true, true, false};
  EXPECT_EQ(key(p, TestRequest("GET", "/a?x=1")), "example.test/a");
}

TEST(CacheKey, HeadSharesTheGetKey) {
  CachePolicy p;
  EXPECT_EQ(key(p, TestRequest("HEAD", "/a")), key(p, TestRequest("GET", "/a")));
}

TEST(CacheKey, IncludeQueryFalseDropsTheQuery) {
  CachePolicy p;
  p.include_query = false;
  EXPECT_EQ(key(p, TestRequest("GET", "/a?x=1")), "GET example.test/a");
}

TEST(CacheKey, NamespaceTemplateAndEscapedVaryHeaders) {
  CachePolicy p;
  p.key_namespace = "blog:v2";
  p.vary_request_headers = {"accept-encoding", "x-variant"};
  const std::string k =
      key(p, TestRequest("GET", "/", {{"Accept-Encoding", "gzip, br"}, {"X-Variant", "50%"}}));
  EXPECT_EQ(k, "blog:v2 GET example.test/ accept-encoding=gzip,%20br x-variant=50%25");
  // Absent and empty are different variants.
  EXPECT_EQ(key(p, TestRequest("GET", "/")), "blog:v2 GET example.test/ accept-encoding x-variant");
  EXPECT_EQ(key(p, TestRequest("GET", "/", {{"X-Variant", ""}})),
            "blog:v2 GET example.test/ accept-encoding x-variant=");
  EXPECT_EQ(key(p, TestRequest("GET", "/"), std::string("custom")),
            "blog:v2 custom accept-encoding x-variant");
}

TEST(CacheKey, AHeaderValueCannotForgeAnotherUrl) {
  CachePolicy p;
  p.key_parts = {true, true, true, false};
  p.vary_request_headers = {"x-v"};
  const std::string forged = key(p, TestRequest("GET", "/a", {{"X-V", "1 x-v=2"}}));
  const std::string other = key(p, TestRequest("GET", "/a", {{"X-V", "1"}}));
  EXPECT_NE(forged, other);
  EXPECT_EQ(forged, "GET example.test/a x-v=1%20x-v=2");
}

TEST(CacheRefresh, OnlyWhenAllowedAndAskedWithNoCache) {
  CachePolicy p;
  const TestRequest no_cache("GET", "/", {{"Cache-Control", "no-cache"}});
  EXPECT_FALSE(client_wants_refresh(p, no_cache.vars()));
  p.allow_client_cache_refresh = true;
  EXPECT_TRUE(client_wants_refresh(p, no_cache.vars()));
  EXPECT_FALSE(
      client_wants_refresh(p, TestRequest("GET", "/", {{"Cache-Control", "max-age=0"}}).vars()));
  EXPECT_TRUE(client_wants_refresh(p, TestRequest("GET", "/", {{"Pragma", "no-cache"}}).vars()));
  // RFC 9111 §5.4: Pragma counts only without Cache-Control.
  EXPECT_FALSE(client_wants_refresh(
      p, TestRequest("GET", "/", {{"Cache-Control", "max-age=5"}, {"Pragma", "no-cache"}}).vars()));
  EXPECT_FALSE(client_wants_refresh(p, TestRequest("GET", "/").vars()));
}

}  // namespace
}  // namespace flux::runtime::cache
