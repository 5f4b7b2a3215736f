#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/fastcgi/client/pool.hpp"

#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::fastcgi {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Pool::Waiter {
  explicit Waiter(asio::any_io_executor ex) : executor(ex), timer(ex) {}
  asio::any_io_executor executor;
  asio::steady_timer timer;  // touched only on `executor`
  bool granted = false;      // guarded by the pool mutex
  Lease lease;
};

namespace {

constexpr std::string_view kEventNames[] = {"connect", "reuse", "return",
                                            "discard_full", "drop_stale", "stale_retry"};

void close_all(const std::vector<int>& fds) {
  for (int fd : fds) ::close(fd);
}

}  // namespace

Pool::Pool(PoolOptions options, std::string label, metrics::Registry& metrics)
    : options_(options), label_(std::move(label)) {
  const metrics::Label pool_label[] = {{"pool", label_}};
  idle_gauge_ = &metrics.gauge("fluxheim_php_fpm_pool_idle_connections",
                               "Idle pooled php-fpm connections.", pool_label);
  for (std::size_t i = 0; i < std::size(kEventNames); ++i) {
    const metrics::Label labels[] = {{"pool", label_}, {"event", kEventNames[i]}};
    events_[i] = &metrics.counter("fluxheim_php_fpm_pool_events_total",
                                  "php-fpm connection pool events.", labels);
  }
}

Pool::~Pool() {
  std::vector<int> fds;
  for (const Idle& i : idle_) fds.push_back(i.fd);
  close_all(fds);
  idle_gauge_->add(-static_cast<std::int64_t>(idle_.size()));
}

void Pool::count(Event e) { events_[static_cast<int>(e)]->inc(); }


void Pool::prune_locked(Clock::time_point now, std::vector<int>& to_close) {
  // Oldest first: LIFO use keeps the stale ones at the front.
  auto stale_end = idle_.begin();
  while (stale_end != idle_.end() && now - stale_end->since > options_.idle_timeout) {
    to_close.push_back(stale_end->fd);
    ++stale_end;
  }
  const auto dropped = static_cast<std::size_t>(stale_end - idle_.begin());
  if (dropped == 0) return;
  idle_.erase(idle_.begin(), stale_end);
  open_ -= dropped;
  idle_gauge_->add(-static_cast<std::int64_t>(dropped));
  events_[static_cast<int>(Event::kDropStale)]->inc(dropped);
}

void Pool::grant_locked(std::shared_ptr<Waiter> w, int fd) {
  w->granted = true;
  w->lease = fd >= 0 ? Lease{Lease::Kind::kReused, fd} : Lease{Lease::Kind::kSlot, -1};
  asio::post(w->executor, [w] { w->timer.cancel(); });
}

asio::awaitable<Lease> Pool::acquire(asio::any_io_executor executor, Clock::time_point deadline) {
  std::shared_ptr<Waiter> waiter;
  std::vector<int> to_close;
  {
    std::lock_guard lock(mutex_);
    if (retired_) co_return Lease{Lease::Kind::kClosed, -1};
    const auto now = Clock::now();
    prune_locked(now, to_close);
    if (!idle_.empty()) {
      const int fd = idle_.back().fd;
      idle_.pop_back();
      idle_gauge_->add(-1);
      events_[static_cast<int>(Event::kReuse)]->inc();
      close_all(to_close);
      co_return Lease{Lease::Kind::kReused, fd};
    }
    if (options_.max_connections == 0 || open_ < options_.max_connections) {
      ++open_;
      close_all(to_close);
      co_return Lease{Lease::Kind::kSlot, -1};
    }
    if (now >= deadline) {
      close_all(to_close);
      co_return Lease{Lease::Kind::kTimeout, -1};
    }
    waiter = std::make_shared<Waiter>(executor);
    waiters_.push_back(waiter);
  }
  close_all(to_close);
  // A frame destroyed while queued (shutdown) leaves the queue or gives back what it was
  // handed, so release() never posts to a dead executor (same as the PHP limiter).
  struct Guard {
    Pool* pool;
    std::shared_ptr<Waiter> waiter;
    bool resolved = false;
    ~Guard() {
      if (!resolved) pool->abandon(waiter);
    }
  } guard{this, waiter};
  waiter->timer.expires_at(deadline);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mutex_);
  guard.resolved = true;
  if (waiter->granted) co_return waiter->lease;
  std::erase(waiters_, waiter);
  co_return Lease{Lease::Kind::kTimeout, -1};
}

void Pool::abandon(const std::shared_ptr<Waiter>& waiter) {
  bool granted = false;
  Lease lease;
  {
    std::lock_guard lock(mutex_);
    granted = waiter->granted;
    lease = waiter->lease;
    if (!granted) std::erase(waiters_, waiter);
  }
  if (granted && lease.kind == Lease::Kind::kReused) release(lease.fd, true);
  if (granted && lease.kind == Lease::Kind::kSlot) release(-1, false);
}

void Pool::release(int fd, bool reusable) {
  std::vector<int> to_close;
  {
    std::lock_guard lock(mutex_);
    const bool keep = fd >= 0 && reusable && options_.keepalive && !retired_;
    if (fd >= 0 && !keep) to_close.push_back(fd);
    if (!waiters_.empty() && !retired_) {
      auto w = waiters_.front();
      waiters_.pop_front();
      grant_locked(std::move(w), keep ? fd : -1);  // the slot passes on; `open_` is unchanged
    } else if (keep && idle_.size() < options_.max_idle) {
      prune_locked(Clock::now(), to_close);
      idle_.push_back({fd, Clock::now()});
      idle_gauge_->add(1);
      events_[static_cast<int>(Event::kReturn)]->inc();
    } else {
      if (keep) {
        to_close.push_back(fd);
        events_[static_cast<int>(Event::kDiscardFull)]->inc();
      }
      --open_;
    }
  }
  close_all(to_close);
}

void Pool::retire() {
  std::vector<int> to_close;
  std::deque<std::shared_ptr<Waiter>> waiters;
  {
    std::lock_guard lock(mutex_);
    retired_ = true;
    for (const Idle& i : idle_) to_close.push_back(i.fd);
    open_ -= idle_.size();
    idle_gauge_->add(-static_cast<std::int64_t>(idle_.size()));
    idle_.clear();
    waiters.swap(waiters_);
    for (auto& w : waiters) {
      w->granted = true;
      w->lease = Lease{Lease::Kind::kClosed, -1};
      asio::post(w->executor, [w] { w->timer.cancel(); });
    }
  }
  close_all(to_close);
}

std::size_t Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace flux::runtime::fastcgi
