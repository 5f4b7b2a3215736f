#pragma once
// Request coalescing (cache `lock`, config-reference.md §10): one origin fetch per key; the
// other requests for the key wait until the leader has finished (and then look the key up
// again) or until lock.wait_timeout_secs, and then go to the origin themselves, uncached. A
// lock older than lock.age_timeout_secs is abandoned: the next request takes it over.
// Waiters may sit on any I/O thread: they are woken by posting to their own executor, as in
// the PHP limiter (runtime/php_gateway/limiter.cpp).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flux::runtime::cache {

class Coalescer {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Role {
    kLeader,    // fetch from the origin, then release(key, token)
    kWoken,     // the leader finished: look the key up again
    kTimedOut,  // waited wait_timeout: go to the origin, do not store
  };
  struct Ticket {
    Role role = Role::kLeader;
    std::uint64_t token = 0;  // kLeader only
  };

  Coalescer() = default;
  Coalescer(const Coalescer&) = delete;
  Coalescer& operator=(const Coalescer&) = delete;

  boost::asio::awaitable<Ticket> acquire(boost::asio::any_io_executor executor, std::string key,
                                         Clock::duration age_timeout, Clock::duration wait_timeout);
  // Leads `key` only if nobody does (or the leader is past age_timeout); never waits. Used by
  // the stale_while_revalidate background refresh.
  std::optional<std::uint64_t> try_lead(const std::string& key, Clock::duration age_timeout);
  // Ends a lead and wakes its waiters. A token that no longer leads (its lock was abandoned and
  // taken over) changes nothing.
  void release(const std::string& key, std::uint64_t token);

  std::size_t held() const;

 private:
  struct Waiter;
  struct Registration;
  struct Lock {
    Clock::time_point started;
    std::uint64_t token = 0;
    std::vector<std::shared_ptr<Waiter>> waiters;
  };
  // mutex_ held: take the lock for `key` if it is free or abandoned.
  std::optional<std::uint64_t> lead_locked(const std::string& key, Clock::duration age_timeout);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Lock> locks_;
  std::uint64_t next_token_ = 0;
};

// Releases a lead when destroyed (also when the request's coroutine is destroyed mid-fetch), so
// waiters are never left behind.
class LeadGuard {
 public:
  LeadGuard(std::shared_ptr<void> owner, Coalescer& locks, std::string key, std::uint64_t token)
      : owner_(std::move(owner)), locks_(&locks), key_(std::move(key)), token_(token) {}
  LeadGuard(LeadGuard&& o) noexcept
      : owner_(std::move(o.owner_)),
        locks_(std::exchange(o.locks_, nullptr)),
        key_(std::move(o.key_)),
        token_(o.token_) {}
  LeadGuard& operator=(LeadGuard&&) = delete;
  LeadGuard(const LeadGuard&) = delete;
  LeadGuard& operator=(const LeadGuard&) = delete;
  ~LeadGuard() { release(); }

  void release() {
    if (locks_ != nullptr) std::exchange(locks_, nullptr)->release(key_, token_);
  }

 private:
  std::shared_ptr<void> owner_;  // keeps the zone (and so `locks`) alive
  Coalescer* locks_ = nullptr;
  std::string key_;
  std::uint64_t token_ = 0;
};

}  // namespace flux::runtime::cache
