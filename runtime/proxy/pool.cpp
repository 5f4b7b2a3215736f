#include "runtime/proxy/pool.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::proxy {
namespace {

using Clock = std::chrono::steady_clock;

void close_all(const std::vector<int>& fds) {
  for (int fd : fds) ::close(fd);
}

}  // namespace

bool still_idle(int fd) {
  char probe;
  const ssize_t n = ::recv(fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

UpstreamPool::UpstreamPool(std::chrono::seconds idle_timeout, metrics::Gauge& idle,
                           metrics::Gauge& active)
    : idle_timeout_(idle_timeout), idle_gauge_(idle), active_gauge_(active) {}

UpstreamPool::~UpstreamPool() {
  std::vector<int> fds;
  for (const Idle& i : idle_) fds.push_back(i.fd);
  idle_gauge_.add(-static_cast<std::int64_t>(idle_.size()));
  close_all(fds);
}

void UpstreamPool::prune_locked(Clock::time_point now, std::vector<int>& to_close) {
  // Oldest first: LIFO use keeps the stale ones at the front.
  auto stale_end = idle_.begin();
  while (stale_end != idle_.end() && now - stale_end->since > idle_timeout_) {
    to_close.push_back(stale_end->fd);
    ++stale_end;
  }
  idle_gauge_.add(-static_cast<std::int64_t>(stale_end - idle_.begin()));
  idle_.erase(idle_.begin(), stale_end);
}

int UpstreamPool::take_idle() {
  std::vector<int> to_close;
  int fd = -1;
  {
    std::lock_guard lock(mutex_);
    if (retired_) return -1;
    prune_locked(Clock::now(), to_close);
    while (!idle_.empty() && fd < 0) {
      const int candidate = idle_.back().fd;
      idle_.pop_back();
      idle_gauge_.add(-1);
      if (still_idle(candidate)) {
        fd = candidate;
      } else {
        to_close.push_back(candidate);
      }
    }
    if (fd >= 0) active_gauge_.add(1);
  }
  close_all(to_close);
  return fd;
}

void UpstreamPool::opened() { active_gauge_.add(1); }

void UpstreamPool::parked_locally() {
  active_gauge_.add(-1);
  idle_gauge_.add(1);
}

void UpstreamPool::borrowed_locally() {
  active_gauge_.add(1);
  idle_gauge_.add(-1);
}

void UpstreamPool::release(int fd, bool reusable) {
  std::vector<int> to_close;
  {
    std::lock_guard lock(mutex_);
    active_gauge_.add(-1);
    if (fd >= 0 && reusable && !retired_ && idle_.size() < kMaxIdle) {
      const auto now = Clock::now();
      prune_locked(now, to_close);
      idle_.push_back({fd, now});
      idle_gauge_.add(1);
    } else if (fd >= 0) {
      to_close.push_back(fd);
    }
  }
  close_all(to_close);
}

void UpstreamPool::retire() {
  std::vector<int> to_close;
  {
    std::lock_guard lock(mutex_);
    retired_ = true;
    retired_flag_->store(true, std::memory_order_relaxed);
    for (const Idle& i : idle_) to_close.push_back(i.fd);
    idle_gauge_.add(-static_cast<std::int64_t>(idle_.size()));
    idle_.clear();
  }
  close_all(to_close);
}

}  // namespace flux::runtime::proxy
