#pragma once
// One managed php-fpm master and its watchdog (php-behaviour.md §14): the private files in
// socket_dir, the supervised process, and its metrics.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "runtime/supervisor/backoff.hpp"
#include "runtime/supervisor/instance.hpp"
#include "runtime/supervisor/pool_spec.hpp"
#include "snapshot/result.hpp"

namespace flux::runtime::metrics {
class Counter;
class Gauge;
class Registry;
}  // namespace flux::runtime::metrics

namespace flux::runtime::supervisor {

class ManagedPool {
 public:
  // §14.1: a new instance name, the private directories, the config file, spawn and readiness,
  // then the watchdog thread. A failure is one line (exit 78 at start-up); whatever was created
  // is removed again.
  static Result<std::unique_ptr<ManagedPool>> start(PoolSpec spec, metrics::Registry& metrics);

  ~ManagedPool();
  ManagedPool(const ManagedPool&) = delete;
  ManagedPool& operator=(const ManagedPool&) = delete;

  const PoolSpec& spec() const { return spec_; }
  // Stable for the pool's life: respawns reuse the instance name (§14.1 step 7).
  std::string socket_path() const { return files_.sock(); }
  // For the admin status (cli.md §6.3); any thread: they read the pool's metrics.
  bool up() const;
  std::uint64_t restarts() const;

  // §14.6: stops the watchdog, SIGTERM then SIGKILL after 5 s, removes sock/conf/pid (the logs
  // stay). Idempotent; call from the thread that owns the pool.
  void stop();

 private:
  struct Metrics {
    metrics::Gauge* up;
    metrics::Gauge* last_exit_status;
    metrics::Counter* restarts_exited;
    metrics::Counter* restarts_spawn_failed;
  };

  ManagedPool(PoolSpec spec, InstanceFiles files, metrics::Registry& metrics);
  Result<void> prepare_files();
  // §14.3 + §14.4, for the first start and every respawn.
  Result<pid_t> launch();
  void start_watchdog();
  void watchdog();
  void watch_child();
  void respawn();
  // Sleeps up to `d` in <= 100 ms steps; false once shutdown is flagged (§14.5).
  bool pause(std::chrono::milliseconds d);
  void remove_control_files();

  PoolSpec spec_;
  InstanceFiles files_;
  Metrics metrics_;
  std::atomic<bool> shutdown_{false};
  bool stopped_ = false;
  bool owns_files_ = false;  // set once {name}.conf was created by us: only then is cleanup ours
  // Written by start() and then only by the watchdog thread; stop() reads it after the join.
  pid_t child_ = -1;
  std::chrono::steady_clock::time_point started_at_;
  Backoff backoff_;
  std::thread watchdog_;
};

}  // namespace flux::runtime::supervisor
