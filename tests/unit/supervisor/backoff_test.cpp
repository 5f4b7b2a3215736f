// php-behaviour.md §14.5: restart delays 1, 2, 4, 8, 16, 30, 30, ... reset after 30 s stable.

#include "runtime/supervisor/backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace flux::runtime::supervisor {
namespace {

using std::chrono::seconds;

TEST(Backoff, FirstCrashAfterAStableRunWaitsOneSecond) {
  Backoff b;
  b.on_exit(seconds(120));
  EXPECT_EQ(b.delay(), seconds(1));
}

TEST(Backoff, CrashLoopDoublesUpToThirtySeconds) {
  Backoff b;
  b.on_exit(seconds(120));
  std::vector<long> delays{b.delay().count()};
  for (int i = 0; i < 7; ++i) {
    b.on_exit(seconds(2));  // crashed again shortly after the respawn
    delays.push_back(b.delay().count());
  }
  EXPECT_EQ(delays, (std::vector<long>{1, 2, 4, 8, 16, 30, 30, 30}));
}

TEST(Backoff, FailedRespawnsCountAsFailures) {
  Backoff b;
  b.on_exit(seconds(100));
  b.on_spawn_failed();
  EXPECT_EQ(b.delay(), seconds(2));
  b.on_spawn_failed();
  EXPECT_EQ(b.delay(), seconds(4));
}

TEST(Backoff, StableRunningResetsTheCounter) {
  Backoff b;
  for (int i = 0; i < 4; ++i) b.on_exit(seconds(1));
  EXPECT_EQ(b.delay(), seconds(16));
  b.on_stable();
  EXPECT_EQ(b.delay(), seconds(1));
  for (int i = 0; i < 4; ++i) b.on_exit(seconds(1));
  b.on_exit(seconds(30));  // exactly 30 s since the last start is stable
  EXPECT_EQ(b.delay(), seconds(1));
}

}  // namespace
}  // namespace flux::runtime::supervisor
