// The admin API as a function (cli.md §6.3): authentication before routing, 404/405, endpoint
// bodies, purge body parsing and reload outcomes.

#include "runtime/admin/api.hpp"

#include <gtest/gtest.h>

#include <string>

namespace flux::runtime::admin {
namespace {

const std::string kToken(40, 'k');
const std::string kAuth = "Bearer " + kToken;

class AdminApi : public ::testing::Test {
 protected:
  AdminApi() {
    backend_.status = [] {
      return Status{"1.2.3", 7, "sha256:ab", "2024-05-01T12:00:00Z", {{"a/vhost", true, 2}}};
    };
    backend_.reload = [this] {
      ++reloads_;
      return outcome_;
    };
    backend_.purge = [this](const Purge& p) {
      purged_ = p;
      return std::uint64_t{3};
    };
  }
  ApiResponse call(std::string_view method, std::string_view target, std::string_view body = "",
                   std::optional<std::string_view> auth = std::string_view(kAuth)) {
    return handle_request({method, target, auth, body}, kToken, backend_);
  }

  Backend backend_;
  core::ReloadOutcome outcome_;
  int reloads_ = 0;
  Purge purged_;
};

TEST_F(AdminApi, EveryRequestNeedsTheTokenEvenForUnknownPaths) {
  for (auto target : {"/v1/status", "/v1/reload", "/nope"}) {
    const ApiResponse r = call("GET", target, "", std::nullopt);
    EXPECT_EQ(r.status, 401u);
    EXPECT_TRUE(r.unauthorized);
    EXPECT_EQ(r.body, "{\"error\":\"unauthorized\"}\n");
  }
  EXPECT_EQ(call("POST", "/v1/reload", "", std::string_view("Bearer wrong")).status, 401u);
  EXPECT_EQ(reloads_, 0);
}

TEST_F(AdminApi, UnknownPathsAndWrongMethods) {
  EXPECT_EQ(call("GET", "/v1/statuses").status, 404u);
  EXPECT_EQ(call("GET", "/").status, 404u);
  const ApiResponse r = call("DELETE", "/v1/cache/purge");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "POST");
  EXPECT_EQ(call("POST", "/v1/status").allow, "GET");
  EXPECT_EQ(call("GET", "/v1/status?pretty=1").status, 200u);  // a query is ignored
}

TEST_F(AdminApi, StatusBody) {
  EXPECT_EQ(call("GET", "/v1/status").body,
            "{\"version\":\"1.2.3\",\"generation\":7,\"snapshot\":\"sha256:ab\","
            "\"started_at\":\"2024-05-01T12:00:00Z\",\"managed_pools\":[{\"pool\":\"a/vhost\","
            "\"up\":true,\"restarts\":2}]}\n");
}

TEST_F(AdminApi, ReloadOutcomesAndStatuses) {
  outcome_.result = core::ReloadResult::kApplied;
  outcome_.generation = 4;
  EXPECT_EQ(call("POST", "/v1/reload").body, "{\"result\":\"applied\",\"generation\":4}\n");
  outcome_.result = core::ReloadResult::kUnchanged;
  EXPECT_EQ(call("POST", "/v1/reload").body, "{\"result\":\"unchanged\"}\n");
  outcome_.result = core::ReloadResult::kRefusedProcessUpgrade;
  outcome_.keys = {"server.listen", "admin.listen"};
  ApiResponse r = call("POST", "/v1/reload");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(
      r.body,
      "{\"result\":\"refused_process_upgrade\",\"keys\":[\"server.listen\",\"admin.listen\"]}\n");
  outcome_.result = core::ReloadResult::kInvalid;
  outcome_.reason = "checksum mismatch";
  r = call("POST", "/v1/reload");
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.body, "{\"result\":\"invalid\",\"reason\":\"checksum mismatch\"}\n");
  outcome_.result = core::ReloadResult::kIoError;
  EXPECT_EQ(call("POST", "/v1/reload").status, 500u);
  EXPECT_EQ(reloads_, 5);
}

TEST_F(AdminApi, PurgeBodies) {
  ApiResponse r = call("POST", "/v1/cache/purge", R"({"host":"h.test","path":"/a"})");
  EXPECT_EQ(r.body, "{\"purged\":3}\n");
  EXPECT_EQ(purged_.kind, Purge::Kind::kUrl);
  EXPECT_EQ(purged_.host, "h.test");
  EXPECT_EQ(purged_.path, "/a");
  call("POST", "/v1/cache/purge", R"({"prefix":"/blog/","host":"h.test"})");
  EXPECT_EQ(purged_.kind, Purge::Kind::kPrefix);
  EXPECT_EQ(purged_.path, "/blog/");
  call("POST", "/v1/cache/purge", R"({"key":"GET h.test/a"})");
  EXPECT_EQ(purged_.kind, Purge::Kind::kKey);
  EXPECT_EQ(purged_.key, "GET h.test/a");
}

TEST(AdminPurgeBody, MalformedOrAmbiguousBodiesAreRefused) {
  for (const char* bad : {"", "{", "null", "[]", "{}", R"({"key":""})", R"({"key":5})",
                          R"({"host":"h"})", R"({"path":"/a"})", R"({"host":"h","path":"a"})",
                          R"({"host":"h","path":"/a","prefix":"/"})", R"({"key":"k","host":"h"})",
                          R"({"host":"","path":"/"})", R"({"host":"h","path":"/a b"})",
                          R"({"host":"h","path":"/a","extra":true})", "{\"key\":\"\xff\"}"}) {
    std::string error;
    EXPECT_FALSE(parse_purge(bad, error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

}  // namespace
}  // namespace flux::runtime::admin
