#include <gtest/gtest.h>

#include "compiler/parse/string_map.hpp"

namespace flux::compiler {
namespace {

TEST(StringMap, BasicStringEscapesMapToTheirSourceColumn) {
  // Source: x = "a\"b\u00e9c"  -> decoded bytes: a " b 0xC3 0xA9 c
  const std::string lit = R"("a\"b\u00e9c")";
  const StringMap map(lit, 100);
  EXPECT_EQ(map.source_offset(0), 101u);  // a
  EXPECT_EQ(map.source_offset(1), 102u);  // \" starts at the backslash
  EXPECT_EQ(map.source_offset(2), 104u);  // b
  EXPECT_EQ(map.source_offset(3), 105u);  // both UTF-8 bytes of \u00e9
  EXPECT_EQ(map.source_offset(4), 105u);
  EXPECT_EQ(map.source_offset(5), 111u);  // c
  EXPECT_EQ(map.source_offset(6), 112u);  // closing quote
}

TEST(StringMap, LiteralStringsMapDirectly) {
  const StringMap map(R"('a\b')", 10);
  EXPECT_EQ(map.source_offset(1), 12u);
  EXPECT_EQ(map.source_offset(2), 13u);
}

TEST(StringMap, MultiLineStringsSkipTheFirstNewline) {
  const StringMap map("\"\"\"\nab\"\"\"", 0);
  EXPECT_EQ(map.source_offset(0), 4u);
  const SourceRange r = map.source_range(0, 0, 2);
  EXPECT_EQ(r.begin, 4u);
  EXPECT_EQ(r.end, 6u);
}

}  // namespace
}  // namespace flux::compiler
