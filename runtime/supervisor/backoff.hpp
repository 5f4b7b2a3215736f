#pragma once
// The watchdog's restart delay (php-behaviour.md §14.5): 1, 2, 4, 8, 16, 30, 30, ... seconds
// for consecutive failures, back to 1 s after 30 s of stable running.

#include <algorithm>
#include <chrono>

namespace flux::runtime::supervisor {

inline constexpr std::chrono::seconds kStableAfter{30};

class Backoff {
 public:
  // The master exited: a crash within kStableAfter of its start counts as another failure.
  void on_exit(std::chrono::steady_clock::duration since_start) {
    failures_ = since_start < kStableAfter ? failures_ + 1 : 0;
  }
  void on_spawn_failed() { ++failures_; }
  // Running for kStableAfter since the last start.
  void on_stable() { failures_ = 0; }

  // min(2^min(failures, 5), 30) seconds.
  std::chrono::seconds delay() const {
    return std::chrono::seconds(std::min(1u << std::min(failures_, 5u), 30u));
  }

 private:
  unsigned failures_ = 0;
};

}  // namespace flux::runtime::supervisor
