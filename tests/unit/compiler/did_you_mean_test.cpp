#include <gtest/gtest.h>

#include <array>

#include "compiler/validate/did_you_mean.hpp"

namespace flux::compiler {
namespace {

constexpr std::array<std::string_view, 4> kKeys = {"listen", "tls_listen", "fpm_root", "root"};

TEST(EditDistance, CountsTranspositionAsOneEdit) {
  EXPECT_EQ(edit_distance("lsiten", "listen"), 1u);
  EXPECT_EQ(edit_distance("listen", "listen"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("fpm_rot", "fpm_root"), 1u);
}

TEST(DidYouMean, SuggestsWithinDistanceTwoForLongNames) {
  EXPECT_EQ(did_you_mean("lisen", kKeys), "listen");
  EXPECT_EQ(did_you_mean("fpm_rooot", kKeys), "fpm_root");
  EXPECT_EQ(did_you_mean("completely_unknown", kKeys), std::nullopt);
}

TEST(DidYouMean, ShortNamesAllowOnlyOneEdit) {
  // config-reference.md §0.1: <= 1 for names of 4 characters or fewer.
  EXPECT_EQ(did_you_mean("rot", kKeys), "root");
  EXPECT_EQ(did_you_mean("rt", kKeys), std::nullopt);
}

}  // namespace
}  // namespace flux::compiler
