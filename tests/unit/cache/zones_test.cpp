// Zones across generations: an unchanged policy keeps its zone (and objects), a changed one
// starts a new zone, and purges reach every live zone.

#include "runtime/cache/zones.hpp"

#include <gtest/gtest.h>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::cache {
namespace {

std::shared_ptr<StoredResponse> object(std::string host, std::string path) {
  auto o = std::make_shared<StoredResponse>();
  o->host = std::move(host);
  o->path = std::move(path);
  o->fresh_until = o->stale_until = o->error_until = Clock::now() + std::chrono::hours(1);
  o->size = 10;
  return o;
}

// One registry for the binary (see store_test.cpp).
metrics::Registry& registry() {
  static metrics::Registry r;
  return r;
}

TEST(ZoneSet, AnUnchangedPolicyKeepsItsZoneEvenWhenProgramIndicesMove) {
  ZoneSet zones(registry());
  CachePolicy p;
  p.bypass_when = 3;
  p.bypass_when_source = "exists(cookie.x)";
  auto first = zones.adopt("blog/vhost", p);
  p.bypass_when = 7;  // another expression was added earlier in the snapshot
  EXPECT_EQ(zones.adopt("blog/vhost", p), first);
  EXPECT_NE(zones.adopt("shop/vhost", p), first);
}

TEST(ZoneSet, AChangedPolicyStartsAFreshZone) {
  ZoneSet zones(registry());
  CachePolicy p;
  auto first = zones.adopt("blog/vhost", p);
  first->insert("k", object("h", "/"), first->epoch());
  p.status_ttls = {{200, 5}};
  auto second = zones.adopt("blog/vhost", p);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->objects(), 0u);
}

TEST(ZoneSet, PurgeReachesEveryLiveZoneAndNormalizesHostAndPath) {
  ZoneSet zones(registry());
  CachePolicy p;
  auto a = zones.adopt("blog/vhost", p);
  p.max_size_bytes = 1 << 20;
  auto b = zones.adopt("blog/vhost", p);  // e.g. the next generation, old one still serving
  a->insert("GET blog.test/a", object("blog.test", "/a"), a->epoch());
  b->insert("GET blog.test/a", object("blog.test", "/a"), b->epoch());
  EXPECT_EQ(zones.purge({PurgeRequest::Kind::kUrl, "", "bad host", "/a"}), 0u);
  PurgeRequest url{PurgeRequest::Kind::kUrl, "", "Blog.Test.:8080", "/%61"};
  EXPECT_EQ(zones.purge(url), 2u);
  b->insert("GET blog.test/a", object("blog.test", "/a"), b->epoch());
  EXPECT_EQ(zones.purge({PurgeRequest::Kind::kKey, "GET blog.test/a"}), 1u);
}

TEST(ZoneSet, ZonesOfDiscardedGenerationsAreForgotten) {
  ZoneSet zones(registry());
  CachePolicy p;
  auto a = zones.adopt("blog/vhost", p);
  a->insert("k", object("h", "/x"), a->epoch());
  a.reset();  // its generation is gone
  EXPECT_EQ(zones.purge({PurgeRequest::Kind::kPrefix, "", "h", "/"}), 0u);
  EXPECT_EQ(zones.adopt("blog/vhost", p)->objects(), 0u);
}

}  // namespace
}  // namespace flux::runtime::cache
