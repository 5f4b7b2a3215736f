#include <gtest/gtest.h>

#include "compiler/diag/render.hpp"
#include "compiler/driver/pipeline.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"
#include "snapshot/verifier.hpp"

namespace flux::compiler {
namespace {

PipelineResult run(std::string text) {
  PipelineOptions opts;
  opts.host_checks = false;
  opts.base_dir = "/srv/site";
  return run_pipeline("site.toml", std::move(text), opts);
}

constexpr const char* kSite = R"(
[server]
default_vhost = "b"
trusted_proxies = ["10.0.0.0/8"]
[[vhosts]]
name = "a"
hosts = ["a.test", "*.a.test"]
web = { root = "public" }
[[vhosts.routes]]
name = "fb"
fallback = true
respond = { status = 404 }
[[vhosts.routes]]
name = "short"
path_prefix = "/x"
respond = {}
[[vhosts.routes]]
name = "long"
path_prefix = "/x/y"
respond = {}
[[vhosts.routes]]
name = "exact"
path_exact = "/e"
respond = {}
[[vhosts]]
name = "b"
hosts = ["B.test."]
)";

TEST(Pipeline, SameInputGivesByteIdenticalSnapshots) {
  const auto one = run(kSite);
  const auto two = run(kSite);
  ASSERT_FALSE(one.failed);
  EXPECT_EQ(one.snapshot, two.snapshot);
}

TEST(Pipeline, SnapshotHasRoutingTablesAndAbsolutePaths) {
  const auto r = run(kSite);
  ASSERT_FALSE(r.failed);
  auto v = snapshot::verify(r.snapshot);
  ASSERT_TRUE(v.ok()) << v.error().message;
  const auto& routing = *v->root->routing();
  EXPECT_EQ(routing.default_vhost(), 1);
  EXPECT_EQ(snapshot::find_vhost(routing, "b.test"), 1);  // lowercased, trailing dot dropped
  EXPECT_EQ(snapshot::find_vhost(routing, "x.a.test"), 0);
  EXPECT_EQ(snapshot::find_vhost(routing, "a.test"), 0);
  EXPECT_EQ(routing.trusted_proxies()->size(), 1u);
  EXPECT_EQ(routing.trusted_proxies()->Get(0)->prefix(), 96 + 8);
  const auto* vh = v->root->config()->vhosts()->Get(0);
  EXPECT_EQ(vh->web()->root()->str(), "/srv/site/public");
  // Match order (config-reference.md §7.4): exact, longest prefix first, regex, fallback.
  ASSERT_EQ(vh->exact_routes()->size(), 1u);
  EXPECT_EQ(vh->exact_routes()->Get(0), 3);
  ASSERT_EQ(vh->prefix_routes()->size(), 2u);
  EXPECT_EQ(vh->prefix_routes()->Get(0), 2);
  EXPECT_EQ(vh->prefix_routes()->Get(1), 1);
  EXPECT_EQ(vh->fallback_route(), 0);
  // Header policy is present per route (shared with the vhost when not overlaid).
  EXPECT_EQ(vh->routes()->Get(0)->headers(), vh->headers());
}

TEST(Pipeline, ReportsEveryIndependentErrorInFileOrder) {
  const auto r = run(R"(
[server]
listen = ["nope"]
[[vhosts]]
name = ""
hosts = ["a..b"]
[vhosts.php]
enabled = true
root = "/"
fpm = { socket = "/run/php.sock" }
max_in_flight = 0
)");
  ASSERT_TRUE(r.failed);
  ASSERT_EQ(r.diagnostics.size(), 5u);  // FX0905 (no host checks) + 4 errors
  EXPECT_EQ(r.diagnostics[1].code, Code::FX0301);
  EXPECT_EQ(r.diagnostics[2].code, Code::FX0401);
  EXPECT_EQ(r.diagnostics[3].code, Code::FX0402);
  EXPECT_EQ(r.diagnostics[4].code, Code::FX0506);
  EXPECT_TRUE(r.snapshot.empty());
}

TEST(Pipeline, SyntaxErrorsAreDiagnosticsNotExceptions) {
  const auto r = run("[server\nlisten = 1");
  ASSERT_TRUE(r.failed);
  EXPECT_EQ(r.diagnostics.back().code, Code::FX0001);
  ASSERT_TRUE(r.diagnostics.back().range.has_value());
}

TEST(Pipeline, TemplatesAreCompiledIntoPrograms) {
  const auto r = run(R"(
[[vhosts]]
name = "a"
hosts = ["a.test"]
[vhosts.redirect]
enabled = true
to = "https://example.test{uri}"
[vhosts.headers.request.set]
x-literal = "plain"
)");
  ASSERT_FALSE(r.failed);
  auto v = snapshot::verify(r.snapshot);
  ASSERT_TRUE(v.ok());
  const auto* vh = v->root->config()->vhosts()->Get(0);
  EXPECT_EQ(vh->redirect()->to()->program(), 0);
  EXPECT_EQ(v->root->exprs()->size(), 1u);
  const auto* set = vh->headers()->request()->set();
  ASSERT_EQ(set->size(), 1u);
  EXPECT_EQ(set->Get(0)->value()->program(), -1);  // a literal template has no program
}

}  // namespace
}  // namespace flux::compiler
