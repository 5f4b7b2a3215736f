#pragma once
// The control thread: SIGHUP reloads, SIGTERM/SIGINT shut down gracefully (a second one forces
// it), and the pid file (cli.md §6.2, php-behaviour.md §15).

#include <signal.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "runtime/core/reload.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Config;
}
namespace flux::runtime {
class GenerationHolder;
}
namespace flux::runtime::http {
class Server;
}
namespace flux::runtime::metrics {
class Registry;
}
namespace flux::runtime::core {
class ExtensionFactory;
}

namespace flux::runtime::app {

class PidFile {
 public:
  PidFile() = default;
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;
  Result<void> write(const fxs::Config& cfg);

 private:
  std::string path_;
};

class Control {
 public:
  Control(http::Server& server, GenerationHolder& generations, std::string snapshot_path,
          metrics::Registry& metrics, std::span<core::ExtensionFactory* const> factories);
  ~Control();

  // Runs after every SIGHUP reload attempt; `applied`: a new generation is current.
  void after_reload(std::function<void(bool applied)> hook) { after_reload_ = std::move(hook); }

  // Returns once the I/O threads have stopped (`io_done`).
  void wait_for_signals(const sigset_t& signals, const std::atomic<bool>& io_done);

  // The SIGHUP reload (php-behaviour.md §15), also called by the admin API (cli.md §6.3) from
  // its own thread: attempts are serialized, so two reloads never build on the same running
  // generation.
  core::ReloadOutcome reload();

 private:
  void shutdown_sequence();

  http::Server& server_;
  GenerationHolder& generations_;
  std::string snapshot_path_;
  metrics::Registry& metrics_;
  std::span<core::ExtensionFactory* const> factories_;
  std::function<void(bool)> after_reload_;
  std::mutex reload_mutex_;
  std::atomic<bool> forced_{false};
  std::thread shutdown_;
};

}  // namespace flux::runtime::app
