#pragma once
// The in-flight limiter of one PHP block (php-behaviour.md §7): `max_in_flight` permits and a
// FIFO queue of at most `max_queued` waiters, each waiting at most `queue_timeout`. Shared by
// all I/O threads; owned by the generation, so a reload starts with a fresh limiter while
// requests admitted under the old one keep their permits.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace flux::runtime::php_gateway {

class Limiter;

// Holds one permit until destroyed.
class Permit {
 public:
  Permit() = default;
  explicit Permit(std::shared_ptr<Limiter> owner) : owner_(std::move(owner)) {}
  Permit(Permit&& o) noexcept = default;
  Permit& operator=(Permit&& o) noexcept;
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit();
  explicit operator bool() const { return owner_ != nullptr; }

 private:
  std::shared_ptr<Limiter> owner_;
};

enum class Admission { kAdmitted, kQueueFull, kTimeout, kQueueDisabled };

struct AdmissionResult {
  Admission admission = Admission::kAdmitted;
  Permit permit;
  std::chrono::steady_clock::duration waited{};
};

class Limiter : public std::enable_shared_from_this<Limiter> {
 public:
  Limiter(std::uint32_t max_in_flight, std::uint32_t max_queued,
          std::chrono::milliseconds queue_timeout)
      : max_in_flight_(max_in_flight), max_queued_(max_queued), queue_timeout_(queue_timeout) {}

  boost::asio::awaitable<AdmissionResult> acquire(boost::asio::any_io_executor executor);

  std::uint32_t in_flight() const;
  std::size_t queued() const;

 private:
  friend class Permit;
  struct Waiter;
  void release();
  void release_locked();
  void abandon(const std::shared_ptr<Waiter>& waiter);

  const std::uint32_t max_in_flight_;
  const std::uint32_t max_queued_;
  const std::chrono::milliseconds queue_timeout_;
  mutable std::mutex mutex_;
  std::uint32_t in_flight_ = 0;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace flux::runtime::php_gateway
