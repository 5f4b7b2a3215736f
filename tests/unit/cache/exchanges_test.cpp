// What the cache's exchanges change: the request an origin sees when its answer will be stored,
// and the bounded copy of a streamed response.

#include "runtime/cache/exchanges.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::cache {
namespace {

TEST(CacheExchanges, StoredFetchesAreUnconditionalAndComplete) {
  http::Request req;
  req.method = "GET";
  req.headers = {
      {"Host", "a.test"},           {"If-None-Match", "\"x\""}, {"if-modified-since", "x"},
      {"Range", "bytes=0-1"},       {"If-Range", "x"},          {"If-Match", "*"},
      {"If-Unmodified-Since", "x"}, {"Cookie", "a=1"}};
  const http::Request out = unconditional(req);
  ASSERT_EQ(out.headers.size(), 2u);
  EXPECT_EQ(out.headers[0].name, "Host");
  EXPECT_EQ(out.headers[1].name, "Cookie");
}

TEST(CacheExchanges, CaptureKeepsAtMostItsLimitAndThenNothing) {
  Capture c(10);
  c.data(std::string_view("12345"));
  c.data(std::string_view("67890"));
  EXPECT_EQ(c.body, "1234567890");
  EXPECT_FALSE(c.overflow);
  c.data(std::string_view("x"));
  EXPECT_TRUE(c.overflow);
  EXPECT_TRUE(c.body.empty());
  c.data(std::string_view("y"));
  EXPECT_TRUE(c.body.empty());
  Capture unwanted(10);
  unwanted.wanted = false;
  unwanted.data(std::string_view("abc"));
  EXPECT_TRUE(unwanted.body.empty());
}

}  // namespace
}  // namespace flux::runtime::cache
