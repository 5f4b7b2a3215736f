// The admin bearer token: length bounds after trimming, and the Authorization header check.

#include "runtime/admin/token.hpp"

#include <gtest/gtest.h>

#include <string>

namespace flux::runtime::admin {
namespace {

const std::string kToken(40, 'k');

TEST(AdminToken, TrimmedAndBoundedTo32Through4096Bytes) {
  EXPECT_EQ(validate_token("\n  " + kToken + " \t\n", "t").value(), kToken);
  EXPECT_TRUE(validate_token(std::string(32, 'a'), "t"));
  EXPECT_FALSE(validate_token(std::string(31, 'a'), "t"));
  EXPECT_TRUE(validate_token(std::string(4096, 'a'), "t"));
  EXPECT_FALSE(validate_token(std::string(4097, 'a'), "t"));
  EXPECT_FALSE(validate_token("   \n", "t"));
  EXPECT_EQ(validate_token("short", "admin.token_env $X").error().message,
            "admin.token_env $X: the token must be 32 to 4096 bytes");
}

TEST(AdminToken, BearerSchemeIsCaseInsensitiveAndTheTokenExact) {
  EXPECT_TRUE(bearer_matches("Bearer " + kToken, kToken));
  EXPECT_TRUE(bearer_matches("bearer  " + kToken, kToken));
  EXPECT_TRUE(bearer_matches("BEARER\t" + kToken + " ", kToken));
  EXPECT_FALSE(bearer_matches("Bearer " + kToken.substr(1), kToken));
  EXPECT_FALSE(bearer_matches("Bearer " + kToken + "k", kToken));
  EXPECT_FALSE(bearer_matches("Bearer " + std::string(40, 'K'), kToken));
  EXPECT_FALSE(bearer_matches("Bearer" + kToken, kToken));
  EXPECT_FALSE(bearer_matches("Basic " + kToken, kToken));
  EXPECT_FALSE(bearer_matches("Bearer ", kToken));
  EXPECT_FALSE(bearer_matches("", kToken));
}

}  // namespace
}  // namespace flux::runtime::admin
