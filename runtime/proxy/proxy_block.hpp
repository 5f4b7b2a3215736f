#pragma once
// The per-generation state of one [vhosts.proxy] / [vhosts.routes.proxy] / [proxy] block
// (config-reference.md §7.3): its upstreams (resolved once when the generation is built), their
// keep-alive pools, the round-robin cursor, the timeouts, the client TLS context for
// `upstream_tls`, and the metric series. Built once, then only read (the cursor and the pools
// are the thread-safe exceptions).

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/proxy/pool.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Proxy;
struct Config;
}  // namespace flux::fxs
namespace flux::runtime::metrics {
class Registry;
class Counter;
}  // namespace flux::runtime::metrics

namespace flux::runtime::proxy {

// Final outcome of a proxied request (label `outcome` of fluxheim_proxy_upstream_requests_total).
enum class Outcome {
  kOk,
  kWebsocket,
  kIntercepted,
  kConnectError,
  kTimeout,
  kInvalidResponse,
  kUpstreamClosed,
  kClientClosed,
  kCount
};
// One failed step against an upstream (label `kind` of fluxheim_proxy_upstream_failures_total).
enum class Failure {
  kConnectRefused,
  kConnectTimeout,
  kTlsHandshake,
  kSendError,
  kSendTimeout,
  kReadTimeout,
  kInvalidResponse,
  kUpstreamClosed,
  kCount
};

struct Upstream {
  std::string label;  // as configured: "host:port"
  std::string host;   // brackets removed
  std::uint16_t port = 0;
  std::vector<std::string> addresses;  // resolved IP literals, IPv4 first
  std::unique_ptr<UpstreamPool> pool;
  std::array<metrics::Counter*, static_cast<std::size_t>(Outcome::kCount)> requests{};
  std::array<metrics::Counter*, static_cast<std::size_t>(Failure::kCount)> failures{};
};

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

struct ProxyBlock {
  const fxs::Proxy* config = nullptr;
  std::string vhost;
  std::string scope;
  std::vector<Upstream> upstreams;
  mutable std::atomic<std::uint32_t> next{0};  // round-robin cursor
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds send_timeout{60};
  std::chrono::seconds total_timeout{300};  // downstream_total_response_timeout_secs
  std::chrono::seconds client_read_timeout{60};   // downstream_read_timeout_secs
  std::chrono::seconds client_write_timeout{30};  // downstream_write_timeout_secs
  bool websocket = false;
  std::unique_ptr<SSL_CTX, SslCtxFree> tls;  // upstream_tls client context, else null
  std::string sni;                           // upstream_sni ("" = the upstream's host)
  bool verify_hostname = true;
  std::vector<std::uint16_t> intercepted;  // error_pages statuses
};

class ProxyState final : public GenerationState {
 public:
  static Result<std::unique_ptr<ProxyState>> build(const fxs::Config& config,
                                                   metrics::Registry& metrics);
  void retire() const override;
  const ProxyBlock* find(const fxs::Proxy* proxy) const {
    const auto it = blocks_.find(proxy);
    return it == blocks_.end() ? nullptr : it->second.get();
  }

 private:
  Result<void> add(const fxs::Proxy* proxy, const std::string& vhost, const std::string& scope,
                   metrics::Registry& metrics);
  std::unordered_map<const fxs::Proxy*, std::unique_ptr<ProxyBlock>> blocks_;
};

std::string_view outcome_label(Outcome o);

}  // namespace flux::runtime::proxy
