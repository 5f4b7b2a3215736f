// php-behaviour.md §9.2 shaping and §11 X-Accel-Expires.

#include "runtime/php/response_shaping.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace flux::runtime::php {
namespace {

constexpr std::int64_t kNow = 1700000000;  // Tue, 14 Nov 2023 22:13:20 GMT

using Pairs = std::vector<std::pair<std::string, std::string>>;

ParsedResponse response(const Pairs& headers) {
  ParsedResponse r;
  for (const auto& [n, v] : headers) r.headers.push_back({n, v});
  return r;
}

Pairs pairs(const ParsedResponse& r) {
  Pairs out;
  for (const auto& h : r.headers) out.emplace_back(h.name, h.value);
  return out;
}

TEST(PhpResponseShaping, RemovesHopByHopAndInternalHeaders) {
  ParsedResponse r = response({{"Content-Type", "text/html"},
                               {"Content-Length", "5"},
                               {"Transfer-Encoding", "chunked"},
                               {"Connection", "close, X-Drop"},
                               {"Keep-Alive", "timeout=5"},
                               {"Proxy-Authenticate", "Basic"},
                               {"Proxy-Authorization", "x"},
                               {"Proxy-Connection", "x"},
                               {"TE", "x"},
                               {"Trailer", "x"},
                               {"Upgrade", "h2c"},
                               {"x-drop", "named by Connection"},
                               {"X-Accel-Buffering", "no"},
                               {"X-Accel-Charset", "utf-8"},
                               {"X-Accel-Limit-Rate", "1"},
                               {"Set-Cookie", "a=1"},
                               {"Set-Cookie", "b=2"}});
  const ShapingResult s = shape_response(r, {}, kNow);
  EXPECT_EQ(s.offload.kind, OffloadKind::kNone);
  EXPECT_EQ(pairs(r),
            (Pairs{{"Content-Type", "text/html"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}}));
}

TEST(PhpResponseShaping, ConnectionTokensMustBeValidTokens) {
  ParsedResponse r = response(
      {{"Connection", "X-A, , bad token, X-B"}, {"X-A", "1"}, {"X-B", "2"}, {"bad token", "kept"}});
  shape_response(r, {}, kNow);
  EXPECT_EQ(pairs(r), (Pairs{{"bad token", "kept"}}));
}

TEST(PhpResponseShaping, HidesConfiguredHeadersCaseInsensitively) {
  ParsedResponse r = response({{"X-Powered-By", "PHP/8.2"}, {"Server", "x"}, {"X-Keep", "1"}});
  ShapingConfig c;
  c.hide_response_headers = {"x-powered-by", "server"};
  shape_response(r, c, kNow);
  EXPECT_EQ(pairs(r), (Pairs{{"X-Keep", "1"}}));
}

TEST(PhpResponseShaping, IgnoreOriginCacheHeadersRemovesCacheControlExpiresPragma) {
  ParsedResponse r = response({{"Cache-Control", "max-age=60"},
                               {"Expires", "0"},
                               {"Pragma", "no-cache"},
                               {"ETag", "\"x\""}});
  ShapingConfig c;
  c.ignore_origin_cache_headers = true;
  shape_response(r, c, kNow);
  EXPECT_EQ(pairs(r), (Pairs{{"ETag", "\"x\""}}));
}

TEST(PhpResponseShaping, AccelRedirectWinsOverSendfileAndBothAreRemoved) {
  ParsedResponse r = response({{"X-Sendfile", "/srv/a.zip"},
                               {"X-Accel-Redirect", "/b.zip"},
                               {"Content-Disposition", "attachment"}});
  const ShapingResult s = shape_response(r, {}, kNow);
  EXPECT_EQ(s.offload.kind, OffloadKind::kAccelRedirect);
  EXPECT_EQ(s.offload.target, "/b.zip");
  EXPECT_EQ(pairs(r), (Pairs{{"Content-Disposition", "attachment"}}));
}

TEST(PhpResponseShaping, SendfileAloneIsReported) {
  ParsedResponse r = response({{"X-Sendfile", "/srv/a.zip"}});
  EXPECT_EQ(shape_response(r, {}, kNow).offload.kind, OffloadKind::kSendfile);
}

TEST(PhpAccelExpires, ParsesEpochIntegerAndRejectsOthers) {
  EXPECT_EQ(parse_accel_expires("@1700003600", kNow), 3600u);
  EXPECT_EQ(parse_accel_expires("@1600000000", kNow), 0u);
  EXPECT_EQ(parse_accel_expires("120", kNow), 120u);
  EXPECT_EQ(parse_accel_expires(" 0 ", kNow), 0u);
  EXPECT_EQ(parse_accel_expires("-5", kNow), 0u);
  EXPECT_EQ(parse_accel_expires("99999999999999999999999", kNow), kMaxTtlSecs);
  for (const char* bad : {"", "@", "abc", "1.5", "@-1", "12s", "--1", "+1", "@x"}) {
    EXPECT_FALSE(parse_accel_expires(bad, kNow).has_value()) << bad;
  }
}

TEST(PhpAccelExpires, PositiveTtlBecomesPublicMaxAgeAndExpires) {
  ParsedResponse r =
      response({{"X-Accel-Expires", "3600"}, {"Cache-Control", "max-age=5"}, {"Expires", "old"}});
  const ShapingResult s = shape_response(r, {}, kNow);
  EXPECT_EQ(s.accel_expires.action, AccelExpiresAction::kApplied);
  EXPECT_EQ(pairs(r), (Pairs{{"Cache-Control", "public, max-age=3600"},
                             {"Expires", "Tue, 14 Nov 2023 23:13:20 GMT"}}));
}

TEST(PhpAccelExpires, SetCookieMakesItPrivate) {
  ParsedResponse r = response({{"Set-Cookie", "s=1"}, {"X-Accel-Expires", "@1700000060"}});
  shape_response(r, {}, kNow);
  EXPECT_EQ(pairs(r), (Pairs{{"Set-Cookie", "s=1"},
                             {"Cache-Control", "private, max-age=60"},
                             {"Expires", "Tue, 14 Nov 2023 22:14:20 GMT"}}));
}

TEST(PhpAccelExpires, ZeroOrPastTtlBecomesNoStore) {
  ParsedResponse r = response({{"X-Accel-Expires", "@1"}, {"Expires", "x"}});
  shape_response(r, {}, kNow);
  EXPECT_EQ(pairs(r), (Pairs{{"Cache-Control", "no-store"}}));
}

TEST(PhpAccelExpires, RestrictiveOriginPolicyIsPreserved) {
  for (const Pairs& origin :
       {Pairs{{"Cache-Control", "private, max-age=10"}}, Pairs{{"Cache-Control", "No-Store"}},
        Pairs{{"Cache-Control", "max-age=1, no-cache=\"Set-Cookie\""}},
        Pairs{{"Pragma", "no-cache"}}}) {
    Pairs in = origin;
    in.push_back({"X-Accel-Expires", "3600"});
    ParsedResponse r = response(in);
    const ShapingResult s = shape_response(r, {}, kNow);
    EXPECT_EQ(s.accel_expires.action, AccelExpiresAction::kKeptRestrictiveOrigin);
    EXPECT_EQ(pairs(r), origin);
  }
}

TEST(PhpAccelExpires, InvalidValueIsIgnoredButRemoved) {
  ParsedResponse r = response({{"X-Accel-Expires", "soon"}, {"Cache-Control", "max-age=9"}});
  const ShapingResult s = shape_response(r, {}, kNow);
  EXPECT_EQ(s.accel_expires.action, AccelExpiresAction::kIgnored);
  EXPECT_EQ(pairs(r), (Pairs{{"Cache-Control", "max-age=9"}}));
}

TEST(PhpAccelExpires, IgnoreOriginCacheHeadersRunsAfterAccelExpires) {
  ParsedResponse r = response({{"X-Accel-Expires", "60"}, {"Cache-Control", "private"}});
  ShapingConfig c;
  c.ignore_origin_cache_headers = true;
  const ShapingResult s = shape_response(r, c, kNow);
  EXPECT_EQ(s.accel_expires.action, AccelExpiresAction::kKeptRestrictiveOrigin);
  EXPECT_EQ(s.accel_expires.ttl, 60u);
  EXPECT_TRUE(r.headers.empty());
}

TEST(PhpAccelExpires, NoHeaderMeansAbsent) {
  ParsedResponse r = response({{"Cache-Control", "max-age=9"}});
  EXPECT_EQ(shape_response(r, {}, kNow).accel_expires.action, AccelExpiresAction::kAbsent);
}

TEST(PhpAccelExpires, HttpDateIsImfFixdate) {
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(kNow), "Tue, 14 Nov 2023 22:13:20 GMT");
}

}  // namespace
}  // namespace flux::runtime::php
