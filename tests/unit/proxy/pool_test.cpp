#include "runtime/proxy/pool.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::proxy {
namespace {

struct Pair {
  int local = -1;
  int remote = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    local = fds[0];
    remote = fds[1];
  }
};

TEST(UpstreamPool, ReusesIdleConnectionsLifoAndCountsGauges) {
  metrics::Gauge idle, active;
  UpstreamPool pool(std::chrono::seconds(60), idle, active);
  Pair a, b;
  pool.opened();
  pool.opened();
  EXPECT_EQ(active.value(), 2);
  pool.release(a.local, true);
  pool.release(b.local, true);
  EXPECT_EQ(idle.value(), 2);
  EXPECT_EQ(active.value(), 0);
  EXPECT_EQ(pool.take_idle(), b.local);
  EXPECT_EQ(pool.take_idle(), a.local);
  EXPECT_EQ(pool.take_idle(), -1);
  EXPECT_EQ(active.value(), 2);
  EXPECT_EQ(idle.value(), 0);
  pool.release(a.local, false);  // closed
  pool.release(b.local, false);
  ::close(a.remote);
  ::close(b.remote);
}

TEST(UpstreamPool, NeverHandsOutAConnectionThePeerClosedOrWroteTo) {
  metrics::Gauge idle, active;
  UpstreamPool pool(std::chrono::seconds(60), idle, active);
  Pair closed, chatty;
  pool.opened();
  pool.opened();
  pool.release(closed.local, true);
  pool.release(chatty.local, true);
  ::close(closed.remote);
  ASSERT_EQ(::write(chatty.remote, "x", 1), 1);
  EXPECT_EQ(pool.take_idle(), -1);
  EXPECT_EQ(idle.value(), 0);
  ::close(chatty.remote);
}

TEST(UpstreamPool, PrunesAfterIdleTimeoutAndRetireClosesIdle) {
  metrics::Gauge idle, active;
  UpstreamPool expiring(std::chrono::seconds(0), idle, active);
  Pair a;
  expiring.opened();
  expiring.release(a.local, true);
  ::usleep(10 * 1000);  // any age is past a zero timeout
  EXPECT_EQ(expiring.take_idle(), -1);
  ::close(a.remote);

  UpstreamPool pool(std::chrono::seconds(60), idle, active);
  Pair b;
  pool.opened();
  pool.release(b.local, true);
  EXPECT_EQ(idle.value(), 1);
  pool.retire();
  EXPECT_EQ(idle.value(), 0);
  EXPECT_EQ(pool.take_idle(), -1);
  char c;
  EXPECT_EQ(::read(b.remote, &c, 1), 0);  // our end was closed
  pool.opened();
  Pair d;
  pool.release(d.local, true);  // retired: closed instead of kept
  EXPECT_EQ(idle.value(), 0);
  ::close(b.remote);
  ::close(d.remote);
}

}  // namespace
}  // namespace flux::runtime::proxy
