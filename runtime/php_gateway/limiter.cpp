#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/php_gateway/limiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace flux::runtime::php_gateway {

namespace asio = boost::asio;

struct Limiter::Waiter {
  explicit Waiter(asio::any_io_executor ex) : executor(ex), timer(ex) {}
  asio::any_io_executor executor;
  asio::steady_timer timer;  // touched only on `executor`
  bool granted = false;      // guarded by the limiter mutex
};

Permit& Permit::operator=(Permit&& o) noexcept {
  if (this != &o) {
    if (owner_) owner_->release();
    owner_ = std::move(o.owner_);
  }
  return *this;
}

Permit::~Permit() {
  if (owner_) owner_->release();
}

asio::awaitable<AdmissionResult> Limiter::acquire(asio::any_io_executor executor) {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<Waiter> waiter;
  {
    std::lock_guard lock(mutex_);
    if (in_flight_ < max_in_flight_ && waiters_.empty()) {
      ++in_flight_;
      co_return AdmissionResult{Admission::kAdmitted, Permit(shared_from_this()), {}};
    }
    if (queue_timeout_.count() == 0) co_return AdmissionResult{Admission::kQueueDisabled, {}, {}};
    if (waiters_.size() >= max_queued_) co_return AdmissionResult{Admission::kQueueFull, {}, {}};
    waiter = std::make_shared<Waiter>(executor);
    waiters_.push_back(waiter);
  }
  // If this frame is destroyed while queued (its io_context is torn down at shutdown), the
  // guard takes the waiter out of the queue, or passes on a permit it was already handed, so
  // release() never posts to an executor that no longer exists.
  struct Guard {
    Limiter* limiter;
    std::shared_ptr<Waiter> waiter;
    bool resolved = false;
    ~Guard() {
      if (!resolved) limiter->abandon(waiter);
    }
  } guard{this, waiter};
  waiter->timer.expires_after(queue_timeout_);
  co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  const auto waited = std::chrono::steady_clock::now() - start;
  std::lock_guard lock(mutex_);
  guard.resolved = true;
  if (waiter->granted) {
    // The permit was transferred by release(): `in_flight_` already counts it.
    co_return AdmissionResult{Admission::kAdmitted, Permit(shared_from_this()), waited};
  }
  std::erase(waiters_, waiter);
  co_return AdmissionResult{Admission::kTimeout, {}, waited};
}

void Limiter::abandon(const std::shared_ptr<Waiter>& waiter) {
  std::lock_guard lock(mutex_);
  if (waiter->granted) {
    release_locked();
  } else {
    std::erase(waiters_, waiter);
  }
}

void Limiter::release() {
  std::lock_guard lock(mutex_);
  release_locked();
}

void Limiter::release_locked() {
  if (!waiters_.empty()) {
    // FIFO hand-over: the permit passes to the oldest waiter (php-behaviour.md §7).
    auto w = waiters_.front();
    waiters_.pop_front();
    w->granted = true;
    asio::post(w->executor, [w] { w->timer.cancel(); });
    return;
  }
  --in_flight_;
}

std::uint32_t Limiter::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

std::size_t Limiter::queued() const {
  std::lock_guard lock(mutex_);
  return waiters_.size();
}

}  // namespace flux::runtime::php_gateway
