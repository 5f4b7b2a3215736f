// Host normalization and the precomputed host tables: exact hash lookups, wildcard suffixes
// longest first, never the apex (config-reference.md §7).

#include <gtest/gtest.h>

#include <flatbuffers/flatbuffers.h>

#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"

namespace flux::snapshot {
namespace {

TEST(NormalizeHost, LowercasesAndDropsPortAndTrailingDot) {
  EXPECT_EQ(normalize_host("Example.COM").value(), "example.com");
  EXPECT_EQ(normalize_host("example.com.").value(), "example.com");
  EXPECT_EQ(normalize_host("example.com:8080").value(), "example.com");
  EXPECT_EQ(normalize_host("[::1]:8080").value(), "[::1]");
  EXPECT_EQ(normalize_host("127.0.0.1").value(), "127.0.0.1");
}

TEST(NormalizeHost, RejectsInvalidHosts) {
  for (const char* bad : {"", "bad host", "a..b", ".a", "a:99999", "a:", "[::1", "x/y", "a@b"}) {
    EXPECT_FALSE(normalize_host(bad).has_value()) << bad;
  }
}

class HostTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::string> exact = {"a.test", "exact.api.example.test", "example.test"};
    const std::vector<std::pair<std::string, std::uint32_t>> wild = {
        {".api.example.test", 1}, {".example.test", 2}};
    std::vector<flatbuffers::Offset<fxs::HostEntry>> entries;
    for (std::uint32_t i = 0; i < exact.size(); ++i) {
      entries.push_back(fxs::CreateHostEntryDirect(fbb_, exact[i].c_str(), i));
    }
    std::vector<std::string> suffixes;
    std::vector<flatbuffers::Offset<fxs::WildcardEntry>> wildcards;
    for (const auto& [suffix, vh] : wild) {
      wildcards.push_back(fxs::CreateWildcardEntryDirect(fbb_, suffix.c_str(), vh));
      suffixes.push_back(suffix);
    }
    auto buckets = build_host_buckets(exact);
    auto wbuckets = build_host_buckets(suffixes);
    auto routing = fxs::CreateRoutingDirect(fbb_, &entries, &buckets, &wildcards, &wbuckets);
    fbb_.Finish(routing);
    routing_ = flatbuffers::GetRoot<fxs::Routing>(fbb_.GetBufferPointer());
  }
  flatbuffers::FlatBufferBuilder fbb_;
  const fxs::Routing* routing_ = nullptr;
};

TEST_F(HostTableTest, ExactBeforeWildcardAndLongestSuffixFirst) {
  EXPECT_EQ(find_vhost(*routing_, "a.test"), 0);
  EXPECT_EQ(find_vhost(*routing_, "exact.api.example.test"), 1);
  EXPECT_EQ(find_vhost(*routing_, "other.api.example.test"), 1);
  EXPECT_EQ(find_vhost(*routing_, "x.y.api.example.test"), 1);
  EXPECT_EQ(find_vhost(*routing_, "www.example.test"), 2);
  EXPECT_EQ(find_vhost(*routing_, "example.test"), 2);  // exact entry, not the wildcard
}

TEST_F(HostTableTest, WildcardNeverMatchesItsApexAndUnknownIsMinusOne) {
  EXPECT_EQ(find_vhost(*routing_, "api.example.test"), 2);  // only via *.example.test
  EXPECT_EQ(find_vhost(*routing_, "b.test"), -1);
  EXPECT_EQ(find_vhost(*routing_, "test"), -1);
}

TEST(HostBuckets, SizeIsAPowerOfTwoWithLoadAtMostHalf) {
  EXPECT_EQ(host_bucket_count(0), 0u);
  EXPECT_EQ(host_bucket_count(1), 2u);
  EXPECT_EQ(host_bucket_count(3), 8u);
  EXPECT_EQ(host_bucket_count(10000), 32768u);
}

}  // namespace
}  // namespace flux::snapshot
