#include "runtime/proxy/proxy_block.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <charconv>

#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/tls/policy.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::proxy {
namespace {

constexpr std::string_view kOutcomes[] = {
    "ok",      "websocket",        "intercepted",     "connect_error",
    "timeout", "invalid_response", "upstream_closed", "client_closed"};
constexpr std::string_view kFailures[] = {"connect_refused",  "connect_timeout", "tls_handshake",
                                          "send_error",       "send_timeout",    "read_timeout",
                                          "invalid_response", "upstream_closed"};

bool has_proxy(const fxs::Proxy* p) {
  return p != nullptr &&
         (p->upstream() != nullptr || (p->upstreams() && p->upstreams()->size() != 0));
}

// "host:port" / "[v6]:port", already validated by fluxc (config-reference.md §0.2).
Upstream parse_upstream(std::string_view text) {
  Upstream u;
  u.label = std::string(text);
  const auto colon = text.rfind(':');
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  u.host = std::string(host);
  const std::string_view port = text.substr(colon + 1);
  std::from_chars(port.data(), port.data() + port.size(), u.port);
  return u;
}

// Resolved once per generation: the request path never blocks on DNS. A name that does not
// resolve leaves the upstream without addresses; requests then fail over past it.
std::vector<std::string> resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::vector<std::string> v4;
  std::vector<std::string> v6;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return {};
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (ai->ai_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, buf, sizeof buf);
      v4.emplace_back(buf);
    } else if (ai->ai_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, buf,
                  sizeof buf);
      v6.emplace_back(buf);
    }
  }
  ::freeaddrinfo(res);
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

Result<std::unique_ptr<SSL_CTX, SslCtxFree>> client_context(const fxs::Proxy& p) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr)
    return make_error("cannot create a TLS client context: " + tls::openssl_errors());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  static constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_CTX_set_alpn_protos(ctx.get(), kAlpn, sizeof kAlpn);
  if (!p.upstream_verify_cert()) return ctx;
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (p.upstream_ca_path() == nullptr) {
    if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
      return make_error("system CA store: " + tls::openssl_errors());
    }
    return ctx;
  }
  const std::string ca = p.upstream_ca_path()->str();
  struct stat st {};
  const bool dir = ::stat(ca.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  if (SSL_CTX_load_verify_locations(ctx.get(), dir ? nullptr : ca.c_str(),
                                    dir ? ca.c_str() : nullptr) != 1) {
    return make_error("upstream_ca_path " + ca + ": " + tls::openssl_errors());
  }
  return ctx;
}

void add_metrics(Upstream& u, const ProxyBlock& b, metrics::Registry& m) {
  const metrics::Label pool_labels[] = {
      {"vhost", b.vhost}, {"scope", b.scope}, {"upstream", u.label}};
  auto& idle = m.gauge("fluxheim_proxy_upstream_pool_idle_connections",
                       "Idle keep-alive connections to the upstream.", pool_labels);
  auto& active = m.gauge("fluxheim_proxy_upstream_pool_active_connections",
                         "Upstream connections in use.", pool_labels);
  u.pool = std::make_unique<UpstreamPool>(
      std::chrono::seconds(b.config->upstream_idle_timeout_secs()), idle, active);
  for (std::size_t i = 0; i < u.requests.size(); ++i) {
    const metrics::Label l[] = {
        {"vhost", b.vhost}, {"scope", b.scope}, {"upstream", u.label}, {"outcome", kOutcomes[i]}};
    u.requests[i] = &m.counter("fluxheim_proxy_upstream_requests_total",
                               "Proxied requests by upstream and outcome.", l);
  }
  for (std::size_t i = 0; i < u.failures.size(); ++i) {
    const metrics::Label l[] = {
        {"vhost", b.vhost}, {"scope", b.scope}, {"upstream", u.label}, {"kind", kFailures[i]}};
    u.failures[i] = &m.counter("fluxheim_proxy_upstream_failures_total",
                               "Failed upstream attempts by kind.", l);
  }
}

}  // namespace

std::string_view outcome_label(Outcome o) { return kOutcomes[static_cast<std::size_t>(o)]; }

Result<void> ProxyState::add(const fxs::Proxy* proxy, const std::string& vhost,
                             const std::string& scope, metrics::Registry& metrics) {
  if (!has_proxy(proxy) || blocks_.contains(proxy)) return {};
  auto b = std::make_unique<ProxyBlock>();
  b->config = proxy;
  b->vhost = vhost;
  b->scope = scope;
  b->connect_timeout = std::chrono::seconds(proxy->connect_timeout_secs());
  b->read_timeout = std::chrono::seconds(proxy->read_timeout_secs());
  b->send_timeout = std::chrono::seconds(proxy->send_timeout_secs());
  b->total_timeout = std::chrono::seconds(proxy->downstream_total_response_timeout_secs());
  b->client_read_timeout = std::chrono::seconds(proxy->downstream_read_timeout_secs());
  b->client_write_timeout = std::chrono::seconds(proxy->downstream_write_timeout_secs());
  b->websocket = proxy->websocket();
  b->verify_hostname = proxy->upstream_verify_hostname();
  if (proxy->upstream_sni() != nullptr) b->sni = proxy->upstream_sni()->str();
  if (proxy->upstream_tls()) {
    auto ctx = client_context(*proxy);
    if (!ctx) return make_error("proxy " + vhost + " " + scope + ": " + ctx.error().message);
    b->tls = std::move(ctx.value());
  }
  if (proxy->error_pages() != nullptr) {
    for (const auto* page : *proxy->error_pages()) b->intercepted.push_back(page->status());
  }
  std::vector<std::string_view> names;
  if (proxy->upstream() != nullptr) names.push_back(proxy->upstream()->string_view());
  if (proxy->upstreams() != nullptr) {
    for (const auto* u : *proxy->upstreams()) names.push_back(u->string_view());
  }
  b->upstreams.reserve(names.size());
  for (std::string_view name : names) {
    Upstream u = parse_upstream(name);
    u.addresses = resolve(u.host);
    if (u.addresses.empty()) {
      log::logger().log(log::Level::kWarn, "proxy upstream does not resolve",
                        {{"vhost", vhost}, {"scope", scope}, {"upstream", u.label}});
    }
    add_metrics(u, *b, metrics);
    b->upstreams.push_back(std::move(u));
  }
  blocks_.emplace(proxy, std::move(b));
  return {};
}

Result<std::unique_ptr<ProxyState>> ProxyState::build(const fxs::Config& config,
                                                      metrics::Registry& metrics) {
  auto state = std::make_unique<ProxyState>();
  if (auto r = state->add(config.proxy(), "", "default", metrics); !r) return r.error();
  if (config.vhosts() == nullptr) return state;
  for (const auto* vh : *config.vhosts()) {
    const std::string vhost = vh->name()->str();
    if (auto r = state->add(vh->proxy(), vhost, "vhost", metrics); !r) return r.error();
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (auto r = state->add(route->proxy(), vhost, "route:" + route->name()->str(), metrics);
          !r) {
        return r.error();
      }
    }
  }
  return state;
}

void ProxyState::retire() const {
  for (const auto& [_, block] : blocks_) {
    for (const auto& u : block->upstreams) u.pool->retire();
  }
}

}  // namespace flux::runtime::proxy
