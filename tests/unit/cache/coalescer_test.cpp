// Request coalescing (cache `lock`): one leader per key, waiters woken on release, wait and
// age timeouts, and waking across I/O threads.

#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/cache/coalescer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <thread>

namespace flux::runtime::cache {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Role = Coalescer::Role;

asio::awaitable<void> acquire_into(Coalescer& c, std::string key, Coalescer::Clock::duration age,
                                   Coalescer::Clock::duration wait, Coalescer::Ticket& out) {
  out = co_await c.acquire(co_await asio::this_coro::executor, key, age, wait);
}

TEST(Coalescer, OneLeaderPerKeyAndWaitersAreWokenOnRelease) {
  asio::io_context io;
  Coalescer c;
  Coalescer::Ticket leader{Role::kTimedOut}, w1, w2, other{Role::kTimedOut};
  asio::co_spawn(io, acquire_into(c, "k", 30s, 30s, leader), asio::detached);
  asio::co_spawn(io, acquire_into(c, "k", 30s, 30s, w1), asio::detached);
  asio::co_spawn(io, acquire_into(c, "k", 30s, 30s, w2), asio::detached);
  asio::co_spawn(io, acquire_into(c, "other", 30s, 30s, other), asio::detached);
  io.poll();
  EXPECT_EQ(leader.role, Role::kLeader);
  EXPECT_EQ(other.role, Role::kLeader);
  EXPECT_EQ(c.held(), 2u);
  c.release("k", leader.token);
  io.run_for(1s);
  EXPECT_EQ(w1.role, Role::kWoken);
  EXPECT_EQ(w2.role, Role::kWoken);
  EXPECT_EQ(c.held(), 1u);
}

TEST(Coalescer, AWaiterGivesUpAfterTheWaitTimeout) {
  asio::io_context io;
  Coalescer c;
  Coalescer::Ticket leader, waiter;
  asio::co_spawn(io, acquire_into(c, "k", 30s, 30s, leader), asio::detached);
  asio::co_spawn(io, acquire_into(c, "k", 30s, 20ms, waiter), asio::detached);
  const auto start = std::chrono::steady_clock::now();
  io.run_for(2s);
  EXPECT_EQ(waiter.role, Role::kTimedOut);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  c.release("k", leader.token);  // nobody left to wake; the lock is gone
  EXPECT_EQ(c.held(), 0u);
}

TEST(Coalescer, ALockOlderThanTheAgeTimeoutIsTakenOver) {
  asio::io_context io;
  Coalescer c;
  Coalescer::Ticket first{Role::kTimedOut}, second{Role::kTimedOut};
  asio::co_spawn(io, acquire_into(c, "k", 0s, 30s, first), asio::detached);
  io.poll();
  std::this_thread::sleep_for(2ms);
  asio::co_spawn(io, acquire_into(c, "k", 1ms, 30s, second), asio::detached);
  io.restart();  // the first poll ran out of work, which stops the context
  io.poll();
  ASSERT_EQ(first.role, Role::kLeader);
  ASSERT_EQ(second.role, Role::kLeader);
  EXPECT_NE(first.token, second.token);
  c.release("k", first.token);  // the abandoned leader no longer owns it
  EXPECT_EQ(c.held(), 1u);
  c.release("k", second.token);
  EXPECT_EQ(c.held(), 0u);
}

TEST(Coalescer, TryLeadNeverWaits) {
  Coalescer c;
  const auto token = c.try_lead("k", 30s);
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(c.try_lead("k", 30s).has_value());
  c.release("k", *token);
  EXPECT_TRUE(c.try_lead("k", 30s).has_value());
}

TEST(Coalescer, AWaiterWhoseContextShutDownIsForgotten) {
  Coalescer c;
  const auto token = c.try_lead("k", 30s);
  ASSERT_TRUE(token.has_value());
  Coalescer::Ticket waiter{Role::kLeader};
  {
    asio::io_context io;
    asio::co_spawn(io, acquire_into(c, "k", 30s, 30s, waiter), asio::detached);
    io.poll();
  }                        // the waiting frame is destroyed with its context
  c.release("k", *token);  // posts to nobody (AddressSanitizer would see a use after free)
  EXPECT_EQ(c.held(), 0u);
  EXPECT_EQ(waiter.role, Role::kLeader);  // never completed
}

TEST(Coalescer, WaitersOnAnotherThreadAreWoken) {
  Coalescer c;
  const auto token = c.try_lead("k", 30s);
  ASSERT_TRUE(token.has_value());
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::promise<Role> result;
  std::thread thread([&] { io.run(); });
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto t = co_await c.acquire(co_await asio::this_coro::executor, "k", 30s, 30s);
        result.set_value(t.role);
      },
      asio::detached);
  // The waiter registers within a few ready handlers (no timer runs before that): after ten
  // round trips through the other thread's queue it is waiting.
  for (int i = 0; i < 10; ++i) {
    std::promise<void> polled;
    asio::post(io, [&] { polled.set_value(); });
    polled.get_future().wait();
  }
  c.release("k", *token);
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get(), Role::kWoken);
  work.reset();
  thread.join();
}

}  // namespace
}  // namespace flux::runtime::cache
