// The corruption corpus of the snapshot issue: a real snapshot from fluxc, truncated at every
// 1/64 of its length, and with every byte flipped — both as is (the checksum catches it) and
// re-sealed with a matching checksum (so the FlatBuffers and semantic verifiers see the damage).
// Verification must fail with a message or succeed, never crash (this runs under ASan+UBSan).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "snapshot/format.hpp"
#include "snapshot/verifier.hpp"
#include "snapshot/writer.hpp"

#ifdef FLUX_SNAPSHOT_FIXTURE

namespace flux::snapshot {
namespace {

std::vector<std::uint8_t> load_fixture() {
  std::ifstream in(FLUX_SNAPSHOT_FIXTURE, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SnapshotCorruption, FixtureVerifies) {
  const auto file = load_fixture();
  ASSERT_GT(file.size(), kHeaderSize);
  auto v = verify(file);
  ASSERT_TRUE(v.ok()) << v.error().message;
}

TEST(SnapshotCorruption, EveryTruncationFailsCleanly) {
  const auto file = load_fixture();
  for (std::size_t i = 0; i < 64; ++i) {
    std::vector<std::uint8_t> cut(file.begin(), file.begin() + static_cast<long>(file.size() * i / 64));
    auto v = verify(cut);
    ASSERT_FALSE(v.ok()) << "truncated to " << cut.size();
    EXPECT_FALSE(v.error().message.empty());
  }
}

TEST(SnapshotCorruption, EveryFlippedByteIsRejected) {
  const auto file = load_fixture();
  for (std::size_t i = 0; i < file.size(); ++i) {
    auto bad = file;
    bad[i] ^= 0x5a;
    auto v = verify(bad);
    ASSERT_FALSE(v.ok()) << "flip at " << i;
    EXPECT_FALSE(v.error().message.empty());
  }
}

TEST(SnapshotCorruption, ResealedFlipsNeverCrashTheVerifier) {
  const auto file = load_fixture();
  const std::span<const std::uint8_t> payload(file.data() + kHeaderSize, file.size() - kHeaderSize);
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    std::vector<std::uint8_t> damaged(payload.begin(), payload.end());
    damaged[i] ^= 0xff;
    const auto sealed = seal(damaged);
    auto v = verify(sealed);
    if (!v.ok()) {
      ++rejected;
      EXPECT_FALSE(v.error().message.empty());
    }
  }
  // Most single-byte changes break an offset, a length, UTF-8 or an index; the rest change a
  // scalar value, which is still a well-formed snapshot.
  EXPECT_GT(rejected, payload.size() / 10);
}

}  // namespace
}  // namespace flux::snapshot

#endif
