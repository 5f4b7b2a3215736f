#pragma once
// Idle keep-alive connections to one upstream, shared by every I/O thread (the FastCGI pool's
// pattern): connections cross threads as plain file descriptors, the borrower wraps the fd in
// a socket on its own io_context and hands it back after a complete exchange. Idle
// connections are used LIFO and pruned after `idle_timeout` on checkout and check-in; a
// connection the upstream already closed (EOF or stray bytes waiting) is never handed out.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace flux::runtime::metrics {
class Gauge;
}  // namespace flux::runtime::metrics

namespace flux::runtime::proxy {

class UpstreamPool {
 public:
  UpstreamPool(std::chrono::seconds idle_timeout, metrics::Gauge& idle, metrics::Gauge& active);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // An idle connection, or -1. Counts as active until released.
  int take_idle();
  // A new connection is being opened (counts as active until released).
  void opened();
  // Ends the borrow: keeps the fd idle when `reusable`, else closes it. fd -1 releases a
  // connect attempt that failed.
  void release(int fd, bool reusable);
  // Old generation after a reload: idle connections close now, busy ones when released.
  void retire();

  // For the per-thread idle lists of upstream_io.cpp, which keep connections registered with
  // their io_context: the flag identifies this pool and says when it retired.
  const std::shared_ptr<std::atomic<bool>>& retired_flag() const { return retired_flag_; }
  metrics::Gauge& idle_gauge() const { return idle_gauge_; }
  std::chrono::seconds idle_timeout() const { return idle_timeout_; }
  void parked_locally();
  void borrowed_locally();

 private:
  struct Idle {
    int fd;
    std::chrono::steady_clock::time_point since;
  };
  void prune_locked(std::chrono::steady_clock::time_point now, std::vector<int>& to_close);

  // Bound on idle connections per upstream and block; more would only pin upstream workers.
  static constexpr std::size_t kMaxIdle = 256;

  std::chrono::seconds idle_timeout_;
  metrics::Gauge& idle_gauge_;
  metrics::Gauge& active_gauge_;
  std::mutex mutex_;
  std::vector<Idle> idle_;  // back = most recently returned
  bool retired_ = false;
  std::shared_ptr<std::atomic<bool>> retired_flag_ = std::make_shared<std::atomic<bool>>(false);
};

// True while an idle connection has nothing to read: EOF means the upstream closed it (RFC 9112
// §9.3.1 lets either side close an idle connection at any time), and unsolicited bytes would
// be mistaken for the next response.
bool still_idle(int fd);

}  // namespace flux::runtime::proxy
