// php-behaviour.md §9.2 reason phrases and §10 interception / generated errors.

#include "runtime/php/status.hpp"
#include "runtime/status/reason_phrase.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

using status::reason_phrase;

TEST(PhpStatus, ReasonPhrasesComeFromIanaRegistry) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(422), "Unprocessable Content");
  EXPECT_EQ(reason_phrase(308), "Permanent Redirect");
  EXPECT_EQ(reason_phrase(511), "Network Authentication Required");
  EXPECT_EQ(reason_phrase(100), "Continue");
}

TEST(PhpStatus, UnregisteredCodesAreUnknown) {
  for (std::uint16_t s : {299, 306, 418, 420, 499, 509, 599, 0, 999}) {
    EXPECT_EQ(reason_phrase(s), "Unknown") << s;
  }
}

TEST(PhpIntercept, PhpStatusesInListOrWithErrorPageAreIntercepted) {
  const InterceptConfig c{.intercept_error_statuses = {404, 500}, .error_page_statuses = {502}};
  EXPECT_TRUE(is_intercepted(404, ResponseOrigin::kPhp, c));
  EXPECT_TRUE(is_intercepted(500, ResponseOrigin::kPhp, c));
  EXPECT_TRUE(is_intercepted(502, ResponseOrigin::kPhp, c));
  EXPECT_FALSE(is_intercepted(403, ResponseOrigin::kPhp, c));
  EXPECT_FALSE(is_intercepted(200, ResponseOrigin::kPhp, c));
}

TEST(PhpIntercept, GeneratedErrorsOnlyUseErrorPages) {
  const InterceptConfig c{.intercept_error_statuses = {503, 504}, .error_page_statuses = {502}};
  EXPECT_TRUE(is_intercepted(502, ResponseOrigin::kGenerated, c));
  EXPECT_FALSE(is_intercepted(503, ResponseOrigin::kGenerated, c));
  EXPECT_FALSE(is_intercepted(504, ResponseOrigin::kGenerated, c));
  EXPECT_TRUE(has_error_page(502, c));
  EXPECT_FALSE(has_error_page(504, c));
}

TEST(PhpIntercept, OnlyRetryAfterSurvivesAndOnlyFor429And503) {
  const std::vector<ResponseHeader> h{
      {"Set-Cookie", "a=1"}, {"Retry-After", "30"}, {"X-Other", "1"}, {"retry-after", "31"}};
  EXPECT_EQ(surviving_headers(503, h).size(), 2u);
  EXPECT_EQ(surviving_headers(429, h)[0].value, "30");
  EXPECT_TRUE(surviving_headers(500, h).empty());
  EXPECT_TRUE(surviving_headers(404, h).empty());
}

TEST(PhpIntercept, GeneratedErrorIsLowercasePlainTextNoStore) {
  const GeneratedError e = generated_error(404);
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.body, "404 not found\n");
  ASSERT_EQ(e.headers.size(), 2u);
  EXPECT_EQ(e.headers[0].name, "Content-Type");
  EXPECT_EQ(e.headers[0].value, "text/plain; charset=utf-8");
  EXPECT_EQ(e.headers[1].name, "Cache-Control");
  EXPECT_EQ(e.headers[1].value, "no-store");
  EXPECT_EQ(generated_error(599).body, "599 unknown\n");
  EXPECT_EQ(generated_error(503, {{"Retry-After", "5"}}).headers.back().value, "5");
}

}  // namespace
}  // namespace flux::runtime::php
