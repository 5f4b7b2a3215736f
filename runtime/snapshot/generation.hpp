#pragma once
// One activated snapshot inside the running process. Requests pin the generation they started
// on (a shared_ptr copy), so a reload never changes the policy under an in-flight request, and
// the old mapping and its pools are released when the last such request finishes.

#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/snapshot/loaded_snapshot.hpp"

namespace flux::fxs {
struct Config;
}

namespace flux::runtime {

// Per-generation state built by the layers above (handlers, pools, limiters). Owned by the
// generation and destroyed with it.
class GenerationState {
 public:
  virtual ~GenerationState() = default;
  // Called once when a newer generation replaced this one: stop handing out pooled upstream
  // connections (idle ones close now, busy ones when released).
  virtual void retire() const {}
};

struct Generation {
  std::uint64_t number = 0;
  std::shared_ptr<const LoadedSnapshot> snapshot;
  std::unique_ptr<GenerationState> state;

  const fxs::Snapshot& root() const { return snapshot->root(); }
  const fxs::Config& config() const;
  const std::string& hash() const { return snapshot->hash(); }
};

class GenerationHolder {
 public:
  std::shared_ptr<const Generation> current() const {
    return current_.load(std::memory_order_acquire);
  }
  void publish(std::shared_ptr<const Generation> next) {
    current_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const Generation>> current_;
};

}  // namespace flux::runtime
