// The reload classifier shared by `fluxc diff` and the runtime's SIGHUP (config-reference.md
// §0.4): (change, expected class) pairs.

#include <gtest/gtest.h>

#include "compiler/driver/pipeline.hpp"
#include "snapshot/classifier.hpp"
#include "snapshot/verifier.hpp"

namespace flux::compiler {
namespace {

std::vector<std::uint8_t> build(const std::string& text) {
  PipelineOptions opts;
  opts.host_checks = false;
  auto r = run_pipeline("site.toml", text, opts);
  EXPECT_FALSE(r.failed) << text;
  return r.snapshot;
}

snapshot::Classification classify(const std::string& a, const std::string& b) {
  static std::vector<std::vector<std::uint8_t>> keep;  // verified views point into these
  keep.push_back(build(a));
  keep.push_back(build(b));
  auto x = snapshot::verify(keep[keep.size() - 2]);
  auto y = snapshot::verify(keep.back());
  EXPECT_TRUE(x.ok() && y.ok());
  return snapshot::classify(*x->root, *y->root);
}

const std::string kBase =
    "[[vhosts]]\nname = \"a\"\nhosts = [\"a.test\"]\nweb = { root = \"/\" }\n";
const std::string kManagedRoute =
    "[[vhosts.routes]]\nname = \"app\"\npath_prefix = \"/app/\"\n[vhosts.routes.php]\nenabled = "
    "true\n"
    "root = \"/\"\n[vhosts.routes.php.fpm]\nmode = \"managed\"\nphp_fpm_binary = \"/usr/bin/env\"\n"
    "socket_dir = \"/run/fx-unit\"\n";
const std::string kExternalRoute =
    "[[vhosts.routes]]\nname = \"app\"\npath_prefix = \"/app/\"\n[vhosts.routes.php]\nenabled = "
    "true\n"
    "root = \"/\"\nfpm = { socket = \"/run/php.sock\" }\n";

TEST(Classifier, IdenticalSnapshotsHaveNoChanges) {
  EXPECT_EQ(classify(kBase, kBase).result, snapshot::DiffResult::None);
}

TEST(Classifier, AddingAPlainVhostIsSnapshotSafe) {
  const auto c = classify(kBase, kBase + "[[vhosts]]\nname = \"b\"\nhosts = [\"b.test\"]\n");
  EXPECT_EQ(c.result, snapshot::DiffResult::SnapshotSafe);
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].op, '+');
  EXPECT_EQ(c.changes[0].key_path, "vhosts[\"b\"]");
}

TEST(Classifier, AddingOrRemovingARouteThatOwnsAManagedPoolIsProcessUpgrade) {
  EXPECT_EQ(classify(kBase, kBase + kManagedRoute).result, snapshot::DiffResult::ProcessUpgrade);
  EXPECT_EQ(classify(kBase + kManagedRoute, kBase).result, snapshot::DiffResult::ProcessUpgrade);
  EXPECT_EQ(classify(kBase, kBase + kExternalRoute).result, snapshot::DiffResult::SnapshotSafe);
}

TEST(Classifier, RenamingTheOwnerOfAManagedPoolIsProcessUpgrade) {
  std::string renamed = kManagedRoute;
  renamed.replace(renamed.find("\"app\""), 5, "\"app2\"");
  const auto c = classify(kBase + kManagedRoute, kBase + renamed);
  EXPECT_EQ(c.result, snapshot::DiffResult::ProcessUpgrade);
  EXPECT_EQ(c.process_upgrade, 2u);  // - routes["app"], + routes["app2"]
}

TEST(Classifier, ListenerChangeIsProcessUpgradeAndExternalEndpointChangeIsSafe) {
  EXPECT_EQ(classify("[server]\nlisten = [\"127.0.0.1:80\"]\n" + kBase,
                     "[server]\nlisten = [\"127.0.0.1:81\"]\n" + kBase)
                .result,
            snapshot::DiffResult::ProcessUpgrade);
  std::string moved = kExternalRoute;
  moved.replace(moved.find("/run/php.sock"), 13, "/run/php2.sock");
  EXPECT_EQ(classify(kBase + kExternalRoute, kBase + moved).result,
            snapshot::DiffResult::SnapshotSafe);
}

TEST(Classifier, CertificatePathChangeIsSnapshotSafe) {
  const std::string tls =
      "[tls]\nenabled = true\n[[tls.certificates]]\ncert_path = \"/etc/c.pem\"\nkey_path = "
      "\"/etc/k.pem\"\n";
  std::string changed = tls;
  changed.replace(changed.find("/etc/c.pem"), 10, "/etc/d.pem");
  EXPECT_EQ(classify(tls + kBase, changed + kBase).result, snapshot::DiffResult::SnapshotSafe);
}

TEST(Classifier, DisablingAManagedBlockIsProcessUpgrade) {
  // A route's php action must stay enabled, so disable a vhost-level managed block instead.
  const std::string vhost_php =
      "[vhosts.php]\nenabled = true\nroot = \"/\"\n[vhosts.php.fpm]\nmode = \"managed\"\n"
      "php_fpm_binary = \"/usr/bin/env\"\nsocket_dir = \"/run/fx-unit\"\n";
  std::string disabled = vhost_php;
  disabled.replace(disabled.find("enabled = true"), 14, "enabled = false");
  const auto c = classify(kBase + vhost_php, kBase + disabled);
  EXPECT_EQ(c.result, snapshot::DiffResult::ProcessUpgrade);
}

}  // namespace
}  // namespace flux::compiler
