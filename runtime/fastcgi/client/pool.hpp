#pragma once
// Connections to one php-fpm endpoint, shared by every I/O thread (php-behaviour.md §8.2).
//
// A php-fpm child serves one connection until the connection closes, so every open connection
// (idle or active) pins a child. The pool therefore caps open connections per endpoint at
// `max_connections`; a request that finds the cap reached waits, in FIFO order, for a
// connection to come back instead of connecting (a new connection would only sit in php-fpm's
// backlog behind the pinned children). Idle connections are kept LIFO, at most `max_idle`, and
// pruned after `idle_timeout` on checkout and check-in.
//
// Connections cross threads as plain file descriptors: the borrower wraps the fd in a socket on
// its own io_context and gives the fd back with release().

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace flux::runtime::metrics {
class Registry;
class Counter;
class Gauge;
}  // namespace flux::runtime::metrics

namespace flux::runtime::fastcgi {

struct PoolOptions {
  bool keepalive = false;
  std::size_t max_idle = 8;
  std::size_t max_connections = 0;  // 0 = no cap
  std::chrono::seconds idle_timeout{60};
};

// What acquire() hands out: an idle connection to reuse, or a reserved slot to connect into.
struct Lease {
  enum class Kind { kReused, kSlot, kTimeout, kClosed };
  Kind kind = Kind::kTimeout;
  int fd = -1;  // kReused
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(PoolOptions options, std::string label, metrics::Registry& metrics);
  ~Pool();

  // Waits (FIFO) until `deadline` when the cap is reached.
  boost::asio::awaitable<Lease> acquire(boost::asio::any_io_executor executor,
                                        std::chrono::steady_clock::time_point deadline);
  // Gives back a connection after a complete exchange (reusable) or closes it; also used to
  // give back a reserved slot whose connect failed (fd = -1).
  void release(int fd, bool reusable);
  // Stops handing out connections (old generation after a reload); idle ones are closed and
  // busy ones close when released.
  void retire();

  const std::string& label() const { return label_; }
  const PoolOptions& options() const { return options_; }
  std::size_t open_connections() const;

  enum class Event { kConnect, kReuse, kReturn, kDiscardFull, kDropStale, kStaleRetry };
  void count(Event e);

 private:
  struct Waiter;
  void abandon(const std::shared_ptr<Waiter>& waiter);
  struct Idle {
    int fd;
    std::chrono::steady_clock::time_point since;
  };
  void prune_locked(std::chrono::steady_clock::time_point now, std::vector<int>& to_close);
  void grant_locked(std::shared_ptr<Waiter> w, int fd);

  PoolOptions options_;
  std::string label_;
  mutable std::mutex mutex_;
  std::vector<Idle> idle_;  // back = most recently returned
  std::deque<std::shared_ptr<Waiter>> waiters_;
  std::size_t open_ = 0;    // idle + active + reserved slots
  bool retired_ = false;
  metrics::Gauge* idle_gauge_;
  metrics::Counter* events_[6];
};

}  // namespace flux::runtime::fastcgi
