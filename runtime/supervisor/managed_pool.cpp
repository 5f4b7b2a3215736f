#include "runtime/supervisor/managed_pool.hpp"

#include <signal.h>
#include <sys/un.h>

#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/supervisor/config_render.hpp"
#include "runtime/supervisor/fs_safety.hpp"
#include "runtime/supervisor/readiness.hpp"
#include "runtime/supervisor/spawn.hpp"

namespace flux::runtime::supervisor {
namespace {

using Clock = std::chrono::steady_clock;

// §14.6: how long the master gets to exit after SIGTERM.
constexpr std::chrono::milliseconds kStopGrace{5000};
// §14.5: the watchdog's poll interval.
constexpr std::chrono::milliseconds kWatchInterval{1000};

std::uint64_t secs(std::chrono::seconds s) { return static_cast<std::uint64_t>(s.count()); }

}  // namespace

ManagedPool::ManagedPool(PoolSpec spec, InstanceFiles files, metrics::Registry& registry)
    : spec_(std::move(spec)), files_(std::move(files)) {
  const metrics::Label pool[] = {{"pool", spec_.label}};
  metrics_.up = &registry.gauge("fluxheim_php_fpm_managed_up",
                                "1 while the managed php-fpm master is running and ready.", pool);
  metrics_.last_exit_status = &registry.gauge(
      "fluxheim_php_fpm_managed_last_exit_status",
      "Exit code of the last unexpected managed php-fpm master exit (128+signal; -1: none yet).",
      pool);
  metrics_.last_exit_status->set(-1);
  const char* help = "Managed php-fpm master restarts by what triggered them.";
  const metrics::Label exited[] = {{"pool", spec_.label}, {"reason", "exited"}};
  const metrics::Label failed[] = {{"pool", spec_.label}, {"reason", "spawn_failed"}};
  metrics_.restarts_exited =
      &registry.counter("fluxheim_php_fpm_managed_restarts_total", help, exited);
  metrics_.restarts_spawn_failed =
      &registry.counter("fluxheim_php_fpm_managed_restarts_total", help, failed);
}

ManagedPool::~ManagedPool() { stop(); }

bool ManagedPool::up() const { return metrics_.up->value() != 0; }

std::uint64_t ManagedPool::restarts() const {
  return metrics_.restarts_exited->value() + metrics_.restarts_spawn_failed->value();
}

Result<std::unique_ptr<ManagedPool>> ManagedPool::start(PoolSpec spec, metrics::Registry& metrics) {
  const std::string prefix = "managed php-fpm pool `" + spec.label + "`: ";
  auto name = new_instance_name();
  if (!name) return make_error(prefix + name.error().message);
  InstanceFiles files{spec.socket_dir, *name};
  std::unique_ptr<ManagedPool> pool(new ManagedPool(std::move(spec), std::move(files), metrics));
  if (auto r = pool->prepare_files(); !r) return make_error(prefix + r.error().message);
  auto pid = pool->launch();
  if (!pid) return make_error(prefix + pid.error().message);
  pool->child_ = *pid;
  pool->started_at_ = Clock::now();
  pool->metrics_.up->set(1);
  log::logger().log(log::Level::kInfo, "managed php-fpm started",
                    {{"pool", pool->spec_.label},
                     {"pid", static_cast<std::int64_t>(*pid)},
                     {"socket", pool->files_.sock()}});
  pool->start_watchdog();
  return pool;
}

Result<void> ManagedPool::prepare_files() {
  // §14.1 step 3: the socket path must fit sun_path (with its NUL).
  if (files_.sock().size() >= sizeof(sockaddr_un{}.sun_path)) {
    return make_error("socket path `" + files_.sock() + "` is too long for a unix socket");
  }
  if (auto r = ensure_private_dir(spec_.socket_dir); !r)
    return make_error("socket_dir " + r.error().message);
  for (const auto* dir : {&spec_.session_save_path, &spec_.upload_tmp_dir}) {
    if (dir->empty()) continue;
    if (auto r = ensure_private_dir(*dir); !r) return r;
  }
  auto conf = render_pool_config(spec_, files_);
  if (!conf) return conf.error();
  if (auto r = write_private_file(files_.conf(), *conf); !r) return r;
  owns_files_ = true;
  return {};
}

Result<pid_t> ManagedPool::launch() {
  if (auto r = check_binary(spec_.binary); !r)
    return make_error("php_fpm_binary " + r.error().message);
  // A master killed with SIGKILL leaves both behind; php-fpm would refuse the stale socket.
  remove_file(files_.sock());
  remove_file(files_.pid());
  auto pid = spawn_php_fpm(spec_.binary, files_.conf());
  if (!pid) return pid;
  const ReadyOutcome ready = wait_ready(*pid, files_.sock(), spec_.ready_timeout, shutdown_);
  switch (ready.state) {
    case Readiness::kReady:
    case Readiness::kShutdown:  // stop() terminates it
      return pid;
    case Readiness::kExited:
      remove_file(files_.sock());
      remove_file(files_.pid());
      return make_error("php-fpm exited before creating socket with status " +
                        std::to_string(ready.status.code()) + " (see " + files_.log() + ")");
    case Readiness::kTimedOut:
      terminate(*pid, kStopGrace);
      remove_file(files_.sock());
      remove_file(files_.pid());
      break;
  }
  return make_error("php-fpm did not accept connections within " +
                    std::to_string(spec_.ready_timeout.count()) + "s (see " + files_.log() + ")");
}

void ManagedPool::start_watchdog() {
  // Signals belong to fluxheim's control thread (cli.md §6.2): the watchdog inherits a mask
  // that blocks them all, so a SIGTERM can never be delivered to it.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  watchdog_ = std::thread([this] { watchdog(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void ManagedPool::watchdog() {
  while (!shutdown_.load()) {
    if (child_ > 0) {
      watch_child();
    } else {
      respawn();
    }
  }
}

void ManagedPool::watch_child() {
  if (!pause(kWatchInterval)) return;
  const auto status = poll_exit(child_);
  const auto since_start = Clock::now() - started_at_;
  if (!status) {
    if (since_start >= kStableAfter) backoff_.on_stable();
    return;
  }
  metrics_.up->set(0);
  metrics_.last_exit_status->set(status->code());
  metrics_.restarts_exited->inc();
  backoff_.on_exit(since_start);
  log::logger().log(log::Level::kWarn, "managed php-fpm exited",
                    {{"pool", spec_.label},
                     {"pid", static_cast<std::int64_t>(child_)},
                     {"status", status->describe()},
                     {"restart_in_secs", secs(backoff_.delay())}});
  child_ = -1;
}

void ManagedPool::respawn() {
  if (!pause(backoff_.delay())) return;
  auto pid = launch();
  if (!pid) {
    backoff_.on_spawn_failed();
    metrics_.restarts_spawn_failed->inc();
    log::logger().log(log::Level::kError, "managed php-fpm respawn failed",
                      {{"pool", spec_.label},
                       {"error", pid.error().message},
                       {"retry_in_secs", secs(backoff_.delay())}});
    return;
  }
  child_ = *pid;
  started_at_ = Clock::now();
  if (shutdown_.load()) return;  // stop() terminates the new master at once (§14.5)
  metrics_.up->set(1);
  log::logger().log(log::Level::kInfo, "managed php-fpm respawned",
                    {{"pool", spec_.label}, {"pid", static_cast<std::int64_t>(*pid)}});
}

bool ManagedPool::pause(std::chrono::milliseconds d) {
  const auto until = Clock::now() + d;
  while (!shutdown_.load()) {
    const auto left = until - Clock::now();
    if (left <= Clock::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(100)));
  }
  return false;
}

void ManagedPool::stop() {
  if (stopped_) return;
  stopped_ = true;
  shutdown_.store(true);
  if (watchdog_.joinable()) watchdog_.join();
  if (child_ > 0) {
    const ExitStatus status = terminate(child_, kStopGrace);
    log::logger().log(log::Level::kInfo, "managed php-fpm stopped",
                      {{"pool", spec_.label},
                       {"pid", static_cast<std::int64_t>(child_)},
                       {"status", status.describe()}});
    child_ = -1;
  }
  metrics_.up->set(0);
  remove_control_files();
}

void ManagedPool::remove_control_files() {
  if (!owns_files_) return;
  remove_file(files_.sock());
  remove_file(files_.conf());
  remove_file(files_.pid());
}

}  // namespace flux::runtime::supervisor
