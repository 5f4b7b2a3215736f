#include <gtest/gtest.h>

#include "runtime/http/http_date.hpp"

namespace flux::runtime::http {
namespace {

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(format_http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(HttpDate, ParsesAllThreeFormats) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").value(), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").value(), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994").value(), 784111777);
}

TEST(HttpDate, RejectsGarbage) {
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 36 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 28:49:37 GMT"));
}

}  // namespace
}  // namespace flux::runtime::http
