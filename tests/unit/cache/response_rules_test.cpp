// The response side of the cache policy (config-reference.md §10, RFC 9111): what is stored,
// for how long, and what counts as an origin error for stale_if_error.

#include "runtime/cache/response_rules.hpp"

#include <gtest/gtest.h>

#include "runtime/cache/cache_control.hpp"
#include "runtime/http/http_date.hpp"

namespace flux::runtime::cache {
namespace {

constexpr std::time_t kNow = 1'700'000'000;

CachePolicy ttl_policy() {
  CachePolicy p;
  p.status_ttls = {{200, 60}, {404, 10}};
  return p;
}

StoreDecision decide(const CachePolicy& p, unsigned status, HeaderList headers,
                     std::uint64_t size = 100, bool authorization = false) {
  return storage_decision(p, ResponseFacts{status, &headers, size, authorization, kNow});
}

TEST(CacheControlParse, DirectivesAreCaseInsensitiveAndQuotedValuesParse) {
  CacheControl cc;
  parse_cache_control("Public, MAX-AGE=\"30\", s-maxage=5, x-ext=\"a,b\"", cc);
  EXPECT_TRUE(cc.is_public);
  EXPECT_EQ(cc.max_age, 30u);
  EXPECT_EQ(cc.s_maxage, 5u);
  CacheControl bad;
  parse_cache_control("max-age=soon", bad);
  EXPECT_EQ(bad.max_age, 0u);  // invalid freshness is stale (RFC 9111 §1.2.2)
}

TEST(CacheStorage, OnlyListedStatusesUnlessADefaultTtlIsSet) {
  CachePolicy p = ttl_policy();
  EXPECT_EQ(decide(p, 200, {}).ttl_secs, 60u);
  EXPECT_EQ(decide(p, 404, {}).ttl_secs, 10u);
  EXPECT_EQ(decide(p, 301, {}).reason, NoStore::kStatus);
  p.default_status_ttl = 5;
  EXPECT_EQ(decide(p, 301, {}).ttl_secs, 5u);
  EXPECT_EQ(decide(p, 410, {}).ttl_secs, 5u);
  EXPECT_EQ(decide(p, 500, {}).reason, NoStore::kStatus);
  EXPECT_EQ(decide(p, 302, {}).reason, NoStore::kStatus);
}

TEST(CacheStorage, SetCookieIsNeverStoredEvenWhenOriginHeadersAreIgnored) {
  CachePolicy p = ttl_policy();
  EXPECT_EQ(decide(p, 200, {{"Set-Cookie", "a=1"}}).reason, NoStore::kSetCookie);
  p.ignore_origin_cache_headers = true;
  EXPECT_EQ(decide(p, 200, {{"set-cookie", "a=1"}}).reason, NoStore::kSetCookie);
}

TEST(CacheStorage, RestrictiveOriginPolicyPreventsStorage) {
  const CachePolicy p = ttl_policy();
  for (const char* cc : {"no-store", "private", "no-cache", "public, no-cache=\"x\""}) {
    EXPECT_EQ(decide(p, 200, {{"Cache-Control", cc}}).reason, NoStore::kOriginPolicy) << cc;
  }
  EXPECT_EQ(decide(p, 200, {{"Pragma", "no-cache"}}).reason, NoStore::kOriginPolicy);
  EXPECT_EQ(decide(p, 200, {{"Vary", "*"}}).reason, NoStore::kOriginPolicy);
  CachePolicy ignoring = p;
  ignoring.ignore_origin_cache_headers = true;
  EXPECT_TRUE(decide(ignoring, 200, {{"Cache-Control", "no-store"}, {"Vary", "*"}}).storable());
}

TEST(CacheStorage, VaryOnAnUnkeyedHeaderIsNotStored) {
  CachePolicy p = ttl_policy();
  EXPECT_EQ(decide(p, 200, {{"Vary", "Accept-Encoding"}}).reason, NoStore::kVary);
  p.vary_request_headers = {"accept-encoding"};
  EXPECT_TRUE(decide(p, 200, {{"Vary", "accept-encoding"}}).storable());
  EXPECT_EQ(decide(p, 200, {{"Vary", "Accept-Encoding, Cookie"}}).reason, NoStore::kVary);
}

TEST(CacheStorage, OriginTtlOverridesTheTableSMaxageFirst) {
  const CachePolicy p = ttl_policy();
  EXPECT_EQ(decide(p, 200, {{"Cache-Control", "max-age=300"}}).ttl_secs, 300u);
  EXPECT_EQ(decide(p, 200, {{"Cache-Control", "max-age=300, s-maxage=7"}}).ttl_secs, 7u);
  EXPECT_EQ(decide(p, 200, {{"Expires", http::format_http_date(kNow + 90)}}).ttl_secs, 90u);
  EXPECT_EQ(
      decide(p, 200,
             {{"Expires", http::format_http_date(kNow + 90)}, {"Cache-Control", "max-age=20"}})
          .ttl_secs,
      20u);
  EXPECT_EQ(decide(p, 200, {{"Cache-Control", "max-age=0"}}).reason, NoStore::kZeroTtl);
  EXPECT_EQ(decide(p, 200, {{"Expires", "0"}}).reason, NoStore::kZeroTtl);
  EXPECT_EQ(decide(p, 200, {{"Expires", http::format_http_date(kNow - 5)}}).reason,
            NoStore::kZeroTtl);
  CachePolicy ignoring = p;
  ignoring.ignore_origin_cache_headers = true;
  EXPECT_EQ(decide(ignoring, 200, {{"Cache-Control", "max-age=300"}}).ttl_secs, 60u);
}

TEST(CacheStorage, AuthorizedRequestsNeedPublicOrSMaxage) {
  const CachePolicy p = ttl_policy();
  EXPECT_EQ(decide(p, 200, {}, 100, true).reason, NoStore::kAuthorization);
  EXPECT_TRUE(decide(p, 200, {{"Cache-Control", "public"}}, 100, true).storable());
  EXPECT_EQ(decide(p, 200, {{"Cache-Control", "s-maxage=30"}}, 100, true).ttl_secs, 30u);
}

TEST(CacheStorage, NoStoreResponseHeadersAndObjectSize) {
  CachePolicy p = ttl_policy();
  p.no_store_response_headers = {"x-no-cache"};
  p.max_object_bytes = 1000;
  EXPECT_EQ(decide(p, 200, {{"X-No-Cache", "1"}}).reason, NoStore::kResponseHeader);
  EXPECT_TRUE(decide(p, 200, {}, 1000).storable());
  EXPECT_EQ(decide(p, 200, {}, 1001).reason, NoStore::kTooLarge);
  // A streamed response's head is judged before its length is known.
  const HeaderList none;
  EXPECT_TRUE(head_decision(p, ResponseFacts{200, &none, 5000, false, kNow}).storable());
}

TEST(CacheStorage, HiddenHeadersAreRemovedCaseInsensitively) {
  CachePolicy p;
  p.hide_response_headers = {"x-powered-by"};
  HeaderList h = {{"X-Powered-By", "PHP"}, {"Content-Type", "text/html"}, {"x-powered-by", "x"}};
  hide_headers(p, h);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].first, "Content-Type");
}

TEST(CacheStaleIfError, PhpOutcomesAndConfiguredStatuses) {
  CachePolicy p;
  p.stale_if_error_statuses = {500, 502, 503, 504};
  for (const char* outcome : {"connect_timeout", "request_timeout", "connection_error",
                              "invalid_response", "fpm_error", "busy"}) {
    EXPECT_TRUE(is_origin_error(p, outcome, 502)) << outcome;
  }
  EXPECT_TRUE(is_origin_error(p, "ok", 503));
  EXPECT_FALSE(is_origin_error(p, "ok", 404));
  EXPECT_FALSE(is_origin_error(p, "not_found", 404));
  p.stale_if_error_statuses = {503};
  EXPECT_FALSE(is_origin_error(p, "ok", 502));
  EXPECT_TRUE(is_origin_error(p, "connection_error", 502));  // outcomes count whatever the list
}

TEST(CacheStaleIfError, OnlyRealOriginResponsesAreStored) {
  EXPECT_TRUE(is_origin_response("ok"));
  for (const char* outcome : {"", "intercepted", "offload", "redirect", "busy", "declined"}) {
    EXPECT_FALSE(is_origin_response(outcome)) << outcome;
  }
}

}  // namespace
}  // namespace flux::runtime::cache
