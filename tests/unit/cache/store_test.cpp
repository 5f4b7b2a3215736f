// Cache zones: freshness windows, LRU bounds, purges and their race with in-flight fetches.

#include "runtime/cache/store.hpp"

#include <gtest/gtest.h>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::cache {
namespace {

using namespace std::chrono_literals;
const Clock::time_point kT0 = Clock::now();

std::shared_ptr<StoredResponse> object(std::uint64_t size, std::string host = "h.test",
                                       std::string path = "/", Clock::duration fresh = 10s,
                                       Clock::duration swr = 0s, Clock::duration sie = 0s) {
  auto o = std::make_shared<StoredResponse>();
  o->host = std::move(host);
  o->path = std::move(path);
  o->stored_at = kT0;
  o->fresh_until = kT0 + fresh;
  o->stale_until = o->fresh_until + swr;
  o->error_until = o->fresh_until + sie;
  o->size = size;
  return o;
}

// One registry for the whole binary: the registry's per-thread series cache is keyed by the
// registry's address, which a fresh registry per test could reuse. Each test uses its own zone
// label instead.
metrics::Registry& registry() {
  static metrics::Registry r;
  return r;
}

class ZoneTest : public ::testing::Test {
 protected:
  metrics::Registry& metrics_ = registry();
  const std::string label_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::int64_t gauge(const char* name) {
    const metrics::Label l[] = {{"zone", label_}};
    return metrics_.gauge(name, "", l).value();
  }
};

TEST_F(ZoneTest, FreshThenRevalidateThenStaleThenDropped) {
  Zone zone(label_, 10000, metrics_);
  ASSERT_TRUE(zone.insert("k", object(100, "h.test", "/", 10s, 5s, 20s), zone.epoch()));
  EXPECT_EQ(zone.lookup("k", kT0 + 9s).state, Freshness::kFresh);
  EXPECT_EQ(zone.lookup("k", kT0 + 12s).state, Freshness::kRevalidate);
  EXPECT_EQ(zone.lookup("k", kT0 + 20s).state, Freshness::kStale);
  EXPECT_EQ(zone.lookup("k", kT0 + 30s).state, Freshness::kExpired);
  EXPECT_EQ(zone.objects(), 0u);  // dropped once no window can use it
  EXPECT_EQ(zone.lookup("k", kT0 + 30s).state, Freshness::kMiss);
  EXPECT_EQ(zone.lookup("other", kT0).state, Freshness::kMiss);
}

TEST_F(ZoneTest, EvictsLeastRecentlyUsedToStayWithinCapacity) {
  Zone zone(label_, 1000, metrics_);
  ASSERT_TRUE(zone.insert("a", object(400), zone.epoch()));
  ASSERT_TRUE(zone.insert("b", object(400), zone.epoch()));
  EXPECT_EQ(zone.lookup("a", kT0).state, Freshness::kFresh);  // a is now the most recent
  ASSERT_TRUE(zone.insert("c", object(400), zone.epoch()));
  EXPECT_EQ(zone.lookup("b", kT0).state, Freshness::kMiss);
  EXPECT_EQ(zone.lookup("a", kT0).state, Freshness::kFresh);
  EXPECT_EQ(zone.lookup("c", kT0).state, Freshness::kFresh);
  EXPECT_EQ(zone.bytes(), 800u);
  EXPECT_EQ(gauge("fluxheim_cache_objects"), 2);
  EXPECT_EQ(gauge("fluxheim_cache_bytes"), 800);
}

TEST_F(ZoneTest, ObjectLargerThanTheZoneIsRefusedAndEvictsNothing) {
  Zone zone(label_, 1000, metrics_);
  ASSERT_TRUE(zone.insert("a", object(600), zone.epoch()));
  EXPECT_FALSE(zone.insert("big", object(1001), zone.epoch()));
  EXPECT_EQ(zone.objects(), 1u);
}

TEST_F(ZoneTest, ReplacingAKeyReplacesItsBytes) {
  Zone zone(label_, 1000, metrics_);
  ASSERT_TRUE(zone.insert("a", object(600), zone.epoch()));
  ASSERT_TRUE(zone.insert("a", object(300), zone.epoch()));
  EXPECT_EQ(zone.objects(), 1u);
  EXPECT_EQ(zone.bytes(), 300u);
}

TEST_F(ZoneTest, PurgeByKeyUrlAndPrefix) {
  Zone zone(label_, 100000, metrics_);
  const auto e = zone.epoch();
  zone.insert("GET h.test/blog/a", object(10, "h.test", "/blog/a"), e);
  zone.insert("GET h.test/blog/a?x=1", object(10, "h.test", "/blog/a"), e);
  zone.insert("GET h.test/blog/b", object(10, "h.test", "/blog/b"), e);
  zone.insert("GET h.test/blogroll", object(10, "h.test", "/blogroll"), e);
  zone.insert("GET o.test/blog/a", object(10, "o.test", "/blog/a"), e);
  EXPECT_EQ(zone.purge_key("GET h.test/blog/b"), 1u);
  EXPECT_EQ(zone.purge_key("GET h.test/blog/b"), 0u);
  EXPECT_EQ(zone.purge_url("h.test", "/blog/a"), 2u);   // every variant of the URL
  EXPECT_EQ(zone.purge_prefix("h.test", "/blog"), 1u);  // /blogroll
  EXPECT_EQ(zone.objects(), 1u);                        // o.test is untouched
  const metrics::Label l[] = {{"zone", label_}};
  EXPECT_EQ(metrics_.counter("fluxheim_cache_purges_total", "", l).value(), 4u);
}

TEST_F(ZoneTest, AFetchThatStartedBeforeAPurgeIsNotStored) {
  Zone zone(label_, 100000, metrics_);
  const auto before = zone.epoch();
  zone.purge_prefix("h.test", "/");
  EXPECT_FALSE(zone.insert("k", object(10), before));
  EXPECT_TRUE(zone.insert("k", object(10), zone.epoch()));
}

TEST_F(ZoneTest, GaugesDropWhenTheZoneGoes) {
  {
    Zone zone(label_, 1000, metrics_);
    zone.insert("a", object(100), zone.epoch());
    EXPECT_EQ(gauge("fluxheim_cache_objects"), 1);
  }
  EXPECT_EQ(gauge("fluxheim_cache_objects"), 0);
  EXPECT_EQ(gauge("fluxheim_cache_bytes"), 0);
}

}  // namespace
}  // namespace flux::runtime::cache
