#include <gtest/gtest.h>

#include "runtime/static/conditional.hpp"

namespace flux::runtime::statics {
namespace {

TEST(IfNoneMatch, MatchesListsWeakTagsAndStar) {
  const std::string etag = make_etag(10, 100, 5);
  EXPECT_TRUE(if_none_match_matches(etag, etag));
  EXPECT_TRUE(if_none_match_matches("\"x\", " + etag, etag));
  EXPECT_TRUE(if_none_match_matches("W/" + etag, etag));
  EXPECT_TRUE(if_none_match_matches("*", etag));
  EXPECT_FALSE(if_none_match_matches("\"other\"", etag));
}

TEST(MakeEtag, ChangesWithSizeAndMtime) {
  EXPECT_NE(make_etag(10, 100, 0), make_etag(11, 100, 0));
  EXPECT_NE(make_etag(10, 100, 0), make_etag(10, 101, 0));
  EXPECT_NE(make_etag(10, 100, 0), make_etag(10, 100, 1));
}

TEST(IfRange, AcceptsCurrentStrongTagOrExactDate) {
  const std::string etag = make_etag(10, 784111777, 0);
  EXPECT_TRUE(if_range_allows(etag, etag, 784111777));
  EXPECT_FALSE(if_range_allows("W/" + etag, etag, 784111777));
  EXPECT_TRUE(if_range_allows("Sun, 06 Nov 1994 08:49:37 GMT", etag, 784111777));
  EXPECT_FALSE(if_range_allows("Sun, 06 Nov 1994 08:49:38 GMT", etag, 784111777));
}

}  // namespace
}  // namespace flux::runtime::statics
