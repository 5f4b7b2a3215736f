// Snapshot container: write -> verify -> read round trip, and the verifier refusing truncated
// and corrupted files (cli.md §4).

#include <gtest/gtest.h>

#include <flatbuffers/flatbuffers.h>

#include "snapshot/format.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"
#include "snapshot/verifier.hpp"
#include "snapshot/writer.hpp"

namespace flux::snapshot {
namespace {

std::vector<std::uint8_t> build_payload() {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  auto vhost_name = fbb.CreateString("site");
  auto host = fbb.CreateString("example.test");
  auto hosts = fbb.CreateVector(std::vector<flatbuffers::Offset<flatbuffers::String>>{host});
  fxs::VhostBuilder vb(fbb);
  vb.add_name(vhost_name);
  vb.add_hosts(hosts);
  auto vhost = vb.Finish();
  auto vhosts = fbb.CreateVector(std::vector<flatbuffers::Offset<fxs::Vhost>>{vhost});
  auto server = fxs::CreateServer(fbb);
  fxs::ConfigBuilder cb(fbb);
  cb.add_server(server);
  cb.add_vhosts(vhosts);
  auto config = cb.Finish();
  auto entry = fxs::CreateHostEntry(fbb, fbb.CreateString("example.test"), 0);
  auto entries = fbb.CreateVector(std::vector<flatbuffers::Offset<fxs::HostEntry>>{entry});
  auto buckets = fbb.CreateVector(build_host_buckets({"example.test"}));
  fxs::RoutingBuilder rb(fbb);
  rb.add_hosts(entries);
  rb.add_host_buckets(buckets);
  auto routing = rb.Finish();
  auto version = fbb.CreateString("test");
  fxs::SnapshotBuilder sb(fbb);
  sb.add_compiler_version(version);
  sb.add_config(config);
  sb.add_routing(routing);
  fxs::FinishSnapshotBuffer(fbb, sb.Finish());
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

TEST(SnapshotContainer, RoundTripsThroughVerify) {
  const auto payload = build_payload();
  const auto file = seal(payload);
  ASSERT_EQ(file.size(), kHeaderSize + payload.size());
  auto verified = verify(file);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->root->compiler_version()->str(), "test");
  ASSERT_EQ(verified->root->config()->vhosts()->size(), 1u);
  EXPECT_EQ(verified->root->config()->vhosts()->Get(0)->name()->str(), "site");
  EXPECT_EQ(find_vhost(*verified->root->routing(), "example.test"), 0);
  EXPECT_EQ(find_vhost(*verified->root->routing(), "other.test"), -1);
  EXPECT_EQ(verified->hash_label, content_hash_label(sha256(payload)));
}

TEST(SnapshotContainer, HeaderFieldsAreLittleEndianAtFixedOffsets) {
  const auto file = seal(build_payload());
  EXPECT_EQ(std::string(file.begin(), file.begin() + 8), "FLUXSNAP");
  EXPECT_EQ(file[8], 1);  // major
  EXPECT_EQ(file[9], 0);
  EXPECT_EQ(file[16], 64);  // payload offset
  EXPECT_EQ(file.size() - 64, static_cast<std::size_t>(file[24]) | (file[25] << 8) | (file[26] << 16));
}

TEST(SnapshotVerifier, RejectsTruncatedFile) {
  auto file = seal(build_payload());
  file.resize(file.size() - 1);
  auto verified = verify(file);
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("truncated"), std::string::npos);
  file.resize(10);
  EXPECT_FALSE(verify(file).ok());
}

TEST(SnapshotVerifier, RejectsFlippedPayloadByte) {
  auto file = seal(build_payload());
  file[kHeaderSize + 20] ^= 0x40;
  auto verified = verify(file);
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("checksum mismatch"), std::string::npos);
}

TEST(SnapshotVerifier, RejectsNewerMajorFormat) {
  auto file = seal(build_payload());
  file[8] = 2;
  auto verified = verify(file);
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("unsupported snapshot format 2.0"), std::string::npos);
}

TEST(SnapshotVerifier, RejectsBadMagicAndFlags) {
  auto file = seal(build_payload());
  file[0] = 'X';
  EXPECT_FALSE(verify(file).ok());
  file = seal(build_payload());
  file[12] = 1;
  EXPECT_FALSE(verify(file).ok());
}

}  // namespace
}  // namespace flux::snapshot
