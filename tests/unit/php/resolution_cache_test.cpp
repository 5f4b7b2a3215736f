// The per-thread script resolution cache: what is kept, for whom, for how long, and how many.

#include "runtime/php/resolution_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace flux::runtime::php {
namespace {

std::shared_ptr<const Resolution> resolution(ResolveKind kind, std::string script_name = {}) {
  auto r = std::make_shared<Resolution>();
  r->kind = kind;
  r->script.script_name = std::move(script_name);
  return r;
}

TEST(ResolutionCache, KeepsOnlyExecuteAndDecline) {
  EXPECT_TRUE(ResolutionCache::cacheable(*resolution(ResolveKind::kExecute)));
  EXPECT_TRUE(ResolutionCache::cacheable(*resolution(ResolveKind::kDecline)));
  // A redirect's Location carries the query; errors must be re-checked on every request.
  EXPECT_FALSE(ResolutionCache::cacheable(*resolution(ResolveKind::kRedirect)));
  EXPECT_FALSE(ResolutionCache::cacheable(*resolution(ResolveKind::kNotFound)));
  EXPECT_FALSE(ResolutionCache::cacheable(*resolution(ResolveKind::kForbidden)));
  EXPECT_FALSE(ResolutionCache::cacheable(*resolution(ResolveKind::kBadRequest)));
  EXPECT_FALSE(ResolutionCache::cacheable(*resolution(ResolveKind::kInternalError)));
}

TEST(ResolutionCache, HitIsTheSameResolutionForTheSameScopeAndPath) {
  ResolutionCache cache;
  const auto r = resolution(ResolveKind::kExecute, "/index.php");
  cache.insert(7, "/blog/", r);
  EXPECT_EQ(cache.find(7, "/blog/"), r);
  EXPECT_EQ(cache.find(8, "/blog/"), nullptr) << "another PHP block (or generation)";
  EXPECT_EQ(cache.find(7, "/blog"), nullptr) << "paths are compared byte for byte";
  EXPECT_EQ(cache.find(7, "/BLOG/"), nullptr);
}

TEST(ResolutionCache, ReplacingAnEntryKeepsOneCopy) {
  ResolutionCache cache;
  cache.insert(1, "/a.php", resolution(ResolveKind::kExecute, "/a.php"));
  const auto second = resolution(ResolveKind::kDecline);
  cache.insert(1, "/a.php", second);
  EXPECT_EQ(cache.find(1, "/a.php"), second);
}

TEST(ResolutionCache, EvictsTheOldestBeyondCapacity) {
  ResolutionCache cache;
  for (std::size_t i = 0; i <= ResolutionCache::kCapacity; ++i) {
    cache.insert(1, "/p" + std::to_string(i), resolution(ResolveKind::kExecute));
  }
  EXPECT_EQ(cache.find(1, "/p0"), nullptr);
  EXPECT_NE(cache.find(1, "/p1"), nullptr);
  EXPECT_NE(cache.find(1, "/p" + std::to_string(ResolutionCache::kCapacity)), nullptr);
}

TEST(ResolutionCache, EntriesExpireAfterTheirLifetime) {
  ResolutionCache cache;
  cache.insert(1, "/a.php", resolution(ResolveKind::kExecute));
  std::this_thread::sleep_for(ResolutionCache::kLifetime + std::chrono::milliseconds(50));
  EXPECT_EQ(cache.find(1, "/a.php"), nullptr);
}

TEST(ResolutionCache, EachThreadHasItsOwn) {
  ResolutionCache* main_cache = &ResolutionCache::for_this_thread();
  ResolutionCache* other = nullptr;
  std::thread([&] { other = &ResolutionCache::for_this_thread(); }).join();
  EXPECT_NE(main_cache, other);
  EXPECT_EQ(main_cache, &ResolutionCache::for_this_thread());
}

}  // namespace
}  // namespace flux::runtime::php
