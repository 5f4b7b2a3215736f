#include <gtest/gtest.h>

#include "runtime/static/range.hpp"

namespace flux::runtime::statics {
namespace {

using K = ByteRange::Kind;

TEST(ParseRange, SingleRanges) {
  auto r = parse_range("bytes=0-99", 1000);
  EXPECT_EQ(r.kind, K::kSatisfiable);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 100u);
  r = parse_range("bytes=990-", 1000);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(r.length, 10u);
  r = parse_range("bytes=-10", 1000);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(r.length, 10u);
  r = parse_range("bytes=900-5000", 1000);
  EXPECT_EQ(r.length, 100u);
  r = parse_range("bytes=-5000", 1000);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 1000u);
}

TEST(ParseRange, UnsatisfiableRanges) {
  EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, K::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000).kind, K::kUnsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, K::kUnsatisfiable);
}

TEST(ParseRange, IgnoresMalformedAndMultipleRanges) {
  EXPECT_EQ(parse_range("bytes=5-1", 1000).kind, K::kNone);
  EXPECT_EQ(parse_range("items=0-1", 1000).kind, K::kNone);
  EXPECT_EQ(parse_range("bytes=0-1,5-6", 1000).kind, K::kNone);
  EXPECT_EQ(parse_range("bytes=a-b", 1000).kind, K::kNone);
  EXPECT_EQ(parse_range("bytes=99999999999999999999-", 1000).kind, K::kNone);
}

}  // namespace
}  // namespace flux::runtime::statics
