#include "runtime/main/control.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "runtime/http/server.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::app {
namespace {

using Clock = std::chrono::steady_clock;

// Sleeps until `until` or until `stop` becomes true, in 50 ms steps.
void sleep_until(Clock::time_point until, const std::atomic<bool>& stop, const std::function<bool()>& done) {
  while (Clock::now() < until && !stop.load() && !done()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<void> make_parent_dirs(const std::string& path) {
  for (std::size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    const std::string dir = path.substr(0, pos);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return make_error("cannot create " + dir + ": " + std::strerror(errno));
    }
  }
  return {};
}

}  // namespace

PidFile::~PidFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

Result<void> PidFile::write(const fxs::Config& cfg) {
  const auto* process = cfg.server()->process();
  if (process == nullptr || process->pid_file() == nullptr || process->pid_file()->size() == 0) {
    return {};
  }
  const std::string path = process->pid_file()->str();
  if (auto dirs = make_parent_dirs(path); !dirs) return dirs;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return make_error("cannot write pid file " + path + ": " + std::strerror(errno));
  const std::string text = std::to_string(::getpid()) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return make_error("cannot write pid file " + path);
  path_ = path;
  return {};
}

Control::Control(http::Server& server, GenerationHolder& generations, std::string snapshot_path,
                 metrics::Registry& metrics, std::span<core::ExtensionFactory* const> factories)
    : server_(server),
      generations_(generations),
      snapshot_path_(std::move(snapshot_path)),
      metrics_(metrics),
      factories_(factories) {}

Control::~Control() {
  if (shutdown_.joinable()) shutdown_.join();
}

void Control::wait_for_signals(const sigset_t& signals, const std::atomic<bool>& io_done) {
  while (!io_done.load()) {
    timespec wait{0, 200 * 1000 * 1000};
    siginfo_t info{};
    const int sig = ::sigtimedwait(&signals, &info, &wait);
    if (sig == SIGHUP) {
      reload();
    } else if (sig == SIGTERM || sig == SIGINT) {
      if (!shutdown_.joinable()) {
        log::logger().log(log::Level::kInfo, "shutdown requested", {{"signal", sig}});
        shutdown_ = std::thread([this] { shutdown_sequence(); });
      } else {
        log::logger().log(log::Level::kWarn, "second signal: forcing shutdown", {{"signal", sig}});
        forced_.store(true);
        server_.stop();
      }
    }
  }
}

void Control::shutdown_sequence() {
  const auto gen = generations_.current();
  const auto* process = gen->config().server()->process();
  const auto drain = std::chrono::seconds(process ? process->graceful_shutdown_timeout_seconds() : 30);
  const auto idle = [this] { return server_.active_connections() == 0; };
  if (process != nullptr && process->grace_period_seconds().has_value()) {
    // Listeners stay open for load-balancer deregistration; responses say Connection: close.
    server_.begin_draining();
    sleep_until(Clock::now() + std::chrono::seconds(*process->grace_period_seconds()), forced_,
                [] { return false; });
  }
  server_.stop_accepting();
  sleep_until(Clock::now() + drain, forced_, idle);
  if (!idle()) {
    log::logger().log(log::Level::kWarn, "graceful shutdown timed out; closing connections",
                      {{"open", static_cast<std::uint64_t>(server_.active_connections())}});
  }
  server_.stop();
}

core::ReloadOutcome Control::reload() {
  std::lock_guard lock(reload_mutex_);
  auto outcome = core::reload_snapshot(generations_, snapshot_path_, metrics_, factories_);
  if (after_reload_) after_reload_(outcome.result == core::ReloadResult::kApplied);
  return outcome;
}

}  // namespace flux::runtime::app
