#include <gtest/gtest.h>

#include "runtime/log/logger.hpp"

namespace flux::runtime::log {
namespace {

TEST(LogEscaping, JsonEscapesControlsQuotesAndInvalidUtf8) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\nd\x01\x7f\xff", 10));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\u000ad\\u0001\\u007f\xEF\xBF\xBD\"");
}

TEST(LogEscaping, TextNeverEmitsRawControlBytes) {
  std::string out;
  append_text_value(out, "GET /x\r\nfake=1");
  EXPECT_EQ(out, "\"GET /x\\x0d\\x0afake=1\"");
  out.clear();
  append_text_value(out, "plain");
  EXPECT_EQ(out, "plain");
}

}  // namespace
}  // namespace flux::runtime::log
