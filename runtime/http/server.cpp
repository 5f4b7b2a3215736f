#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/http/server.hpp"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <thread>

#include "runtime/http/connection.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr int kBacklog = 4096;

Result<tcp::endpoint> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return make_error("missing port");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return make_error("invalid address");
  unsigned long port = 0;
  try {
    port = std::stoul(text.substr(colon + 1));
  } catch (...) {
    return make_error("invalid port");
  }
  if (port > 65535) return make_error("invalid port");
  return tcp::endpoint(addr, static_cast<std::uint16_t>(port));
}

// A listening socket bound with SO_REUSEPORT so each I/O thread can own one.
Result<void> open_acceptor(tcp::acceptor& acceptor, const tcp::endpoint& ep) {
  boost::system::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) {
    const int one = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      ec.assign(errno, boost::system::system_category());
    }
  }
  if (!ec && ep.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(kBacklog, ec);
  if (ec) return make_error(ec.message());
  return {};
}

// SO_REUSEPORT would let us silently share a port with another process of the same user, so a
// plain bind first proves the address is free.
Result<void> probe_free(const tcp::endpoint& ep) {
  asio::io_context ctx;
  tcp::acceptor probe(ctx);
  boost::system::error_code ec;
  probe.open(ep.protocol(), ec);
  if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && ep.address().is_v6()) probe.set_option(asio::ip::v6_only(true), ec);
  if (!ec) probe.bind(ep, ec);
  if (ec) return make_error(ec.message());
  return {};
}

}  // namespace

struct Server::Impl {
  struct Worker {
    ThreadContext thread;  // declared before `ctx`: connections unregister on destruction
    asio::io_context ctx{1};
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  };

  std::vector<ListenerSpec> specs;
  std::vector<ListenerInfo> infos;
  std::vector<tcp::endpoint> endpoints;
  std::vector<metrics::Gauge*> active_gauges;
  std::vector<metrics::Counter*> accepted;
  metrics::Counter* refused = nullptr;
  unsigned threads = 1;
  GenerationHolder* generations = nullptr;
  Handler* handler = nullptr;
  metrics::Registry* metrics = nullptr;
  TlsProvider* tls = nullptr;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> open{0};
  std::vector<std::unique_ptr<Worker>> workers;

  asio::awaitable<void> accept_loop(Worker& w, tcp::acceptor& acceptor, std::size_t index);
  void on_each_worker(const std::function<void(Worker&)>& fn) {
    for (auto& w : workers) asio::post(w->ctx, [fn, wp = w.get()] { fn(*wp); });
  }
};

asio::awaitable<void> Server::Impl::accept_loop(Worker& w, tcp::acceptor& acceptor,
                                                std::size_t index) {
  asio::steady_timer backoff(w.ctx);
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      // EMFILE/ENFILE: pause instead of spinning; the backlog keeps the waiting clients.
      log::logger().log(log::Level::kError, "accept failed",
                        {{"listener", infos[index].label}, {"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    accepted[index]->inc();
    const auto gen = generations->current();
    const auto* limits = gen->config().server()->limits();
    const std::size_t max = limits != nullptr ? limits->max_connections() : 10000;
    if (open.load(std::memory_order_relaxed) >= max) {
      // config-reference.md §1.1: accepted and closed at once, never left in the backlog.
      refused->inc();
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    start_connection(std::move(socket), w.thread, infos[index], *active_gauges[index]);
  }
}

Server::Server(std::vector<ListenerSpec> listeners, unsigned threads, GenerationHolder& generations,
               Handler& handler, metrics::Registry& metrics, TlsProvider* tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->specs = std::move(listeners);
  impl_->threads = threads == 0 ? 1 : threads;
  impl_->generations = &generations;
  impl_->handler = &handler;
  impl_->metrics = &metrics;
  impl_->tls = tls;
}

Server::~Server() = default;

Result<void> Server::bind() {
  Impl& m = *impl_;
  for (const auto& spec : m.specs) {
    auto ep = parse_endpoint(spec.address);
    if (!ep) return make_error("cannot bind " + spec.address + ": " + ep.error().message);
    if (auto free = probe_free(*ep); !free) {
      return make_error("cannot bind " + spec.address + ": " + free.error().message);
    }
    m.endpoints.push_back(*ep);
    m.infos.push_back({spec.address, spec.tls});
    const metrics::Label labels[] = {{"listener", spec.address}, {"tls", spec.tls ? "true" : "false"}};
    m.active_gauges.push_back(&m.metrics->gauge("fluxheim_http_connections_active",
                                                "Open downstream connections.", labels));
    m.accepted.push_back(&m.metrics->counter("fluxheim_http_connections_total",
                                             "Accepted downstream connections.", labels));
  }
  m.refused = &m.metrics->counter("fluxheim_http_connections_refused_total",
                                  "Connections closed at once because max_connections was reached.", {});
  for (unsigned t = 0; t < m.threads; ++t) {
    auto w = std::make_unique<Impl::Worker>();
    w->thread.generations = m.generations;
    w->thread.handler = m.handler;
    w->thread.tls = m.tls;
    w->thread.draining = &m.draining;
    w->thread.open_connections = &m.open;
    for (std::size_t i = 0; i < m.endpoints.size(); ++i) {
      auto acceptor = std::make_unique<tcp::acceptor>(w->ctx);
      if (auto r = open_acceptor(*acceptor, m.endpoints[i]); !r) {
        return make_error("cannot bind " + m.specs[i].address + ": " + r.error().message);
      }
      w->acceptors.push_back(std::move(acceptor));
    }
    m.workers.push_back(std::move(w));
  }
  return {};
}

void Server::run() {
  Impl& m = *impl_;
  for (auto& w : m.workers) {
    for (std::size_t i = 0; i < w->acceptors.size(); ++i) {
      asio::co_spawn(w->ctx, m.accept_loop(*w, *w->acceptors[i], i), asio::detached);
    }
  }
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < m.workers.size(); ++t) {
    threads.emplace_back([w = m.workers[t].get()] { w->ctx.run(); });
  }
  m.workers[0]->ctx.run();
  for (auto& t : threads) t.join();
}

void Server::begin_draining() { impl_->draining.store(true); }

void Server::stop_accepting() {
  impl_->draining.store(true);
  impl_->on_each_worker([](Impl::Worker& w) {
    for (auto& a : w.acceptors) {
      boost::system::error_code ignored;
      a->close(ignored);
    }
    // close_if_idle may destroy nothing synchronously: connections end in their coroutines.
    for (ConnectionBase* c : w.thread.connections) c->close_if_idle();
  });
}

void Server::stop() {
  impl_->on_each_worker([](Impl::Worker& w) {
    for (auto& a : w.acceptors) {
      boost::system::error_code ignored;
      a->close(ignored);
    }
    for (ConnectionBase* c : w.thread.connections) c->close_now();
    w.ctx.stop();
  });
}

std::size_t Server::active_connections() const { return impl_->open.load(); }

}  // namespace flux::runtime::http
