#pragma once
// Every managed php-fpm pool of the process (php-behaviour.md §14). Pools are started once,
// before fluxheim accepts traffic, and live until shutdown: a snapshot-safe reload builds new
// PHP blocks that look up the same running sockets by (vhost, scope), and any change to a
// managed pool is a process-upgrade change that SIGHUP refuses (config-reference.md §0.4).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/supervisor/managed_pool.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::runtime::supervisor {

// The host preconditions of every managed pool that need no side effects: the privilege rule
// (§14.3) and the binary safety check. `fluxheim verify` runs them as host checks (cli.md §6);
// Supervisor::start_all() runs them before it starts anything.
Result<void> check_managed_pools(const fxs::Snapshot& snapshot);

class Supervisor {
 public:
  explicit Supervisor(metrics::Registry& metrics) : metrics_(metrics) {}
  ~Supervisor() { stop_all(); }
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // check_managed_pools() first (so a refused pool starts nothing), then each pool in snapshot
  // order. On failure the pools already started are stopped again.
  Result<void> start_all(const fxs::Snapshot& snapshot);

  // The private socket of the pool of PHP block (vhost, scope). Safe to call from any thread
  // between start_all() and stop_all().
  std::optional<std::string> socket_for(const std::string& vhost, const std::string& scope) const;

  // §14.6 for every pool.
  void stop_all();

  // The running pools, in snapshot order; unchanged between start_all() and stop_all().
  const std::vector<std::unique_ptr<ManagedPool>>& pools() const { return pools_; }

 private:
  metrics::Registry& metrics_;
  std::vector<std::unique_ptr<ManagedPool>> pools_;
};

}  // namespace flux::runtime::supervisor
