#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/cache/coalescer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace flux::runtime::cache {

namespace asio = boost::asio;

struct Coalescer::Waiter {
  explicit Waiter(asio::any_io_executor ex) : executor(ex), timer(ex) {}
  asio::any_io_executor executor;
  asio::steady_timer timer;  // touched only on `executor`
  bool woken = false;        // guarded by the coalescer mutex
};

std::optional<std::uint64_t> Coalescer::lead_locked(const std::string& key,
                                                    Clock::duration age_timeout) {
  const auto now = Clock::now();
  auto [it, inserted] = locks_.try_emplace(key);
  Lock& lock = it->second;
  if (!inserted && now - lock.started <= age_timeout) return std::nullopt;
  // New, or abandoned by a leader that is taking too long: the waiters stay and are woken by
  // whoever finishes under the new token.
  lock.started = now;
  lock.token = ++next_token_;
  return lock.token;
}

// Takes a waiter out of its lock when the waiting coroutine ends, also when its frame is
// destroyed mid-wait (its io_context shutting down): a later release() then never posts to an
// executor that is gone.
struct Coalescer::Registration {
  Coalescer& owner;
  const std::string& key;
  std::shared_ptr<Waiter> waiter;
  ~Registration() {
    std::lock_guard guard(owner.mutex_);
    if (auto it = owner.locks_.find(key); it != owner.locks_.end()) {
      std::erase(it->second.waiters, waiter);
    }
  }
};

asio::awaitable<Coalescer::Ticket> Coalescer::acquire(asio::any_io_executor executor,
                                                      std::string key, Clock::duration age_timeout,
                                                      Clock::duration wait_timeout) {
  std::shared_ptr<Waiter> waiter;
  {
    std::lock_guard guard(mutex_);
    if (auto token = lead_locked(key, age_timeout)) co_return Ticket{Role::kLeader, *token};
    waiter = std::make_shared<Waiter>(executor);
    locks_[key].waiters.push_back(waiter);
  }
  const Registration registration{*this, key, waiter};
  waiter->timer.expires_after(wait_timeout);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard guard(mutex_);  // released before `registration` takes it again
  co_return Ticket{waiter->woken ? Role::kWoken : Role::kTimedOut, 0};
}

std::optional<std::uint64_t> Coalescer::try_lead(const std::string& key,
                                                 Clock::duration age_timeout) {
  std::lock_guard guard(mutex_);
  return lead_locked(key, age_timeout);
}

void Coalescer::release(const std::string& key, std::uint64_t token) {
  std::lock_guard guard(mutex_);
  const auto it = locks_.find(key);
  if (it == locks_.end() || it->second.token != token) return;
  // Posted under the mutex: a waiter still registered has a live executor (Registration).
  for (auto& w : it->second.waiters) {
    w->woken = true;
    asio::post(w->executor, [w] { w->timer.cancel(); });
  }
  locks_.erase(it);
}

std::size_t Coalescer::held() const {
  std::lock_guard guard(mutex_);
  return locks_.size();
}

}  // namespace flux::runtime::cache
