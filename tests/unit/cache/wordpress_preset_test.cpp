// cache.preset = "wordpress" as fluxc expands it (config-reference.md §10.1), read back from a
// real snapshot by the runtime's policy builder, and the bypass decisions it leads to.

#include <gtest/gtest.h>

#include <algorithm>

#include "runtime/cache/policy.hpp"
#include "runtime/snapshot/loaded_snapshot.hpp"
#include "snapshot/fxs_generated.h"
#include "test_vars.hpp"

namespace flux::runtime::cache {
namespace {

using test::TestRequest;

class WordpressPreset : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadError error;
    snapshot_ = load_snapshot(FLUX_CACHE_FIXTURE, error);
    ASSERT_NE(snapshot_, nullptr) << error.message;
    const auto* cache = snapshot_->root().config()->vhosts()->Get(0)->cache();
    ASSERT_NE(cache, nullptr);
    policy_ = build_policy(*cache);
  }
  Bypass bypass(const TestRequest& r) const { return bypass_reason(policy_, r.facts(), r.vars()); }

  std::shared_ptr<const LoadedSnapshot> snapshot_;
  CachePolicy policy_;
};

TEST_F(WordpressPreset, AppendsToTheUserListsWithoutDuplicates) {
  const auto& exact = policy_.bypass_path_exact;
  EXPECT_EQ(std::count(exact.begin(), exact.end(), "/wp-login.php"), 1);
  EXPECT_EQ(exact.front(), "/wp-login.php");  // the user's entries come first
  EXPECT_NE(std::find(exact.begin(), exact.end(), "/custom.php"), exact.end());
  EXPECT_NE(std::find(exact.begin(), exact.end(), "/xmlrpc.php"), exact.end());
  EXPECT_EQ(policy_.methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_TRUE(policy_.bypass_query);
}

TEST_F(WordpressPreset, LoggedInAndCommenterCookiesBypass) {
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Cookie", "wordpress_logged_in_0123=admin"}})),
            Bypass::kCookie);
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Cookie", "comment_author_99=Ann"}})),
            Bypass::kCookie);
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Cookie", "wp-postpass_1=x"}})), Bypass::kCookie);
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Cookie", "wordpress_test_cookie=WP"}})),
            Bypass::kCookie);  // the `wordpress_` prefix covers it
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Cookie", "theme=dark"}})), Bypass::kNone);
}

TEST_F(WordpressPreset, AdminFeedsLoginQueriesAndAuthorizationBypass) {
  EXPECT_EQ(bypass(TestRequest("GET", "/wp-admin/")), Bypass::kPath);
  EXPECT_EQ(bypass(TestRequest("GET", "/wp-admin/edit.php")), Bypass::kPath);
  EXPECT_EQ(bypass(TestRequest("GET", "/feed/")), Bypass::kPath);
  EXPECT_EQ(bypass(TestRequest("GET", "/wp-cron.php")), Bypass::kPath);
  EXPECT_EQ(bypass(TestRequest("GET", "/?p=1")), Bypass::kQuery);
  EXPECT_EQ(bypass(TestRequest("GET", "/", {{"Authorization", "Basic eDp5"}})), Bypass::kHeader);
  EXPECT_EQ(bypass(TestRequest("POST", "/")), Bypass::kMethod);
  EXPECT_EQ(bypass(TestRequest("GET", "/")), Bypass::kNone);
  EXPECT_EQ(bypass(TestRequest("GET", "/hello-world/")), Bypass::kNone);
}

}  // namespace
}  // namespace flux::runtime::cache
