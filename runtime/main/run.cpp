// `fluxheim run`: load and verify the snapshot, check the host, bind, serve, and handle
// signals (cli.md §6) on a dedicated control thread.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "runtime/admin/server.hpp"
#include "runtime/admin/token.hpp"
#include "runtime/cache/cache_layer.hpp"
#include "runtime/core/dispatcher.hpp"
#include "runtime/core/metrics_handler.hpp"
#include "runtime/core/site_state.hpp"
#include "runtime/http/server.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/main/admin_backend.hpp"
#include "runtime/main/commands.hpp"
#include "runtime/main/control.hpp"
#include "runtime/main/host_checks.hpp"
#include "runtime/main/logging_setup.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/php_gateway/php_gateway.hpp"
#include "runtime/proxy/proxy_handler.hpp"
#include "runtime/snapshot/generation.hpp"
#include "runtime/tls/tls_manager.hpp"
#include "runtime/supervisor/supervisor.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::app {
namespace {

int fail(const std::string& path, const std::string& message, int code) {
  std::fprintf(stderr, "fluxheim: %s: %s\n", path.c_str(), message.c_str());
  return code;
}

std::vector<http::ListenerSpec> listeners_of(const fxs::Config& cfg) {
  std::vector<http::ListenerSpec> out;
  const auto* server = cfg.server();
  if (server->listen()) {
    for (const auto* a : *server->listen()) out.push_back({a->str(), false});
  }
  if (server->tls_listen()) {
    for (const auto* a : *server->tls_listen()) out.push_back({a->str(), true});
  }
  return out;
}

unsigned thread_count(const fxs::Config& cfg, unsigned override_threads) {
  if (override_threads != 0) return override_threads;
  const auto* process = cfg.server()->process();
  if (process != nullptr && process->threads() != 0) return process->threads();
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

}  // namespace

int run_command(const RunOptions& options) {
  LoadError error;
  auto loaded = load_snapshot(options.snapshot_path, error);
  if (!loaded) {
    return fail(options.snapshot_path, error.message,
                error.kind == LoadFailure::kNoInput ? kExitNoInput : kExitConfig);
  }
  if (auto checked = run_host_checks(loaded->root()); !checked) {
    return fail(options.snapshot_path, checked.error().message, kExitConfig);
  }
  const fxs::Config& cfg = *loaded->root().config();
  if (auto logging = configure_logging(cfg, options.log_level); !logging) {
    return fail(options.snapshot_path, logging.error().message, kExitOsErr);
  }
  metrics::Registry metrics;
  // php-behaviour.md §14.1: every managed pool is up before the listeners bind. The pools
  // outlive every generation, so reloaded PHP blocks find the same sockets.
  supervisor::Supervisor pools(metrics);
  if (auto started = pools.start_all(loaded->root()); !started) {
    return fail(options.snapshot_path, started.error().message, kExitConfig);
  }
  php_gateway::PhpGateway php(0, metrics, [&pools](const std::string& vhost, const std::string& scope) {
    return pools.socket_for(vhost, scope);
  });
  proxy::ProxyHandler proxy(1, metrics);
  tls::TlsManager tls(2);
  cache::CacheLayer cache(3, metrics);
  core::ExtensionFactory* const factories[] = {&php, &proxy, &tls, &cache};
  auto state = core::SiteState::build(*loaded, factories);
  if (!state) return fail(options.snapshot_path, state.error().message, kExitConfig);

  // Signals go to the control thread only: block them before any other thread exists.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  GenerationHolder generations;
  auto first = std::make_shared<Generation>();
  first->number = 1;
  first->snapshot = loaded;
  first->state = std::move(state.value());
  generations.publish(first);
  tls.activate(*first);
  const bool tls_listeners = cfg.server()->tls_listen() && cfg.server()->tls_listen()->size() != 0;

  core::Dispatcher dispatcher(metrics, &php, &proxy, &cache);
  http::Server server(listeners_of(cfg), thread_count(cfg, options.threads), generations,
                      dispatcher, metrics, tls_listeners ? &tls : nullptr);
  if (auto bound = server.bind(); !bound) {
    return fail(options.snapshot_path, bound.error().message, kExitOsErr);
  }
  // [metrics]: the Prometheus endpoint on its own listener and thread (config-reference.md §5).
  std::unique_ptr<core::MetricsHandler> metrics_handler;
  std::unique_ptr<http::Server> metrics_server;
  if (const auto* m = cfg.metrics(); m != nullptr && m->enabled()) {
    metrics_handler = std::make_unique<core::MetricsHandler>(metrics, m->path() ? m->path()->str() : "/metrics");
    metrics_server = std::make_unique<http::Server>(
        std::vector<http::ListenerSpec>{{m->listen() ? m->listen()->str() : "127.0.0.1:9091", false}}, 1,
        generations, *metrics_handler, metrics, nullptr);
    if (auto bound = metrics_server->bind(); !bound) {
      return fail(options.snapshot_path, bound.error().message, kExitOsErr);
    }
  }
  Control control(server, generations, options.snapshot_path, metrics, factories);
  // cli.md §6.2: every SIGHUP re-reads the certificate files, even for an unchanged snapshot.
  control.after_reload([&](bool applied) { tls.after_reload(*generations.current(), applied); });
  // [admin]: the JSON admin API on its own listener and thread (cli.md §6.3); its reload is
  // Control's SIGHUP path.
  std::unique_ptr<admin::AdminServer> admin_server;
  if (const auto* a = cfg.admin(); a != nullptr && a->enabled()) {
    auto token = admin::load_token(*a);
    if (!token) return fail(options.snapshot_path, token.error().message, kExitConfig);
    admin_server = std::make_unique<admin::AdminServer>(
        a->listen() ? a->listen()->str() : "127.0.0.1:9090", std::move(token.value()),
        admin_backend(control, generations, pools, cache, std::chrono::system_clock::now()));
    if (auto bound = admin_server->bind(); !bound) {
      return fail(options.snapshot_path, bound.error().message, kExitOsErr);
    }
  }
  core::publish_generation_metrics(metrics, 1, loaded->hash(), "");
  PidFile pid_file;
  if (auto written = pid_file.write(cfg); !written) {
    return fail(options.snapshot_path, written.error().message, kExitOsErr);
  }
  log::logger().log(log::Level::kInfo, "fluxheim started",
                    {{"generation", std::uint64_t{1}}, {"sha256", loaded->hash()},
                     {"threads", thread_count(cfg, options.threads)}});

  std::thread metrics_io;
  if (metrics_server) metrics_io = std::thread([&] { metrics_server->run(); });
  std::thread admin_io;
  if (admin_server) admin_io = std::thread([&] { admin_server->run(); });
  std::atomic<bool> io_done{false};
  std::thread io([&] {
    server.run();
    io_done.store(true);
  });
  control.wait_for_signals(signals, io_done);
  io.join();
  if (admin_server) {  // before the pools go: its status reads them
    admin_server->stop();
    admin_io.join();
  }
  // §15: managed pools stop after the last request (also on the forced second-signal path,
  // which ends the I/O threads the same way).
  pools.stop_all();
  if (metrics_server) {
    metrics_server->stop();
    metrics_io.join();
  }
  log::logger().log(log::Level::kInfo, "fluxheim stopped");
  log::logger().flush();
  return kExitOk;
}

}  // namespace flux::runtime::app
