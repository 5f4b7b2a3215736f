#pragma once
// Request dispatch: host -> vhost, route selection, the handler chain of a vhost
// (config-reference.md §7: redirect -> web -> php -> proxy -> 404), the response-header
// policy, request ids, the access log and the request metrics.

#include "runtime/core/action.hpp"
#include "runtime/http/server.hpp"

namespace flux::runtime::metrics {
class Registry;
class Counter;
class Histogram;
}  // namespace flux::runtime::metrics

namespace flux::runtime::core {

class Dispatcher final : public http::Handler {
 public:
  // `cache` (may be null) sits in front of `php` and `proxy` (config-reference.md §10).
  Dispatcher(metrics::Registry& metrics, PhpAction* php, ProxyAction* proxy,
             CacheAction* cache = nullptr)
      : metrics_(metrics), php_(php), proxy_(proxy), cache_(cache) {}

  boost::asio::awaitable<void> handle(http::Exchange& exchange) override;
  void on_rejected(const http::Request& partial, unsigned status) override;

 private:
  struct Target;
  boost::asio::awaitable<http::Response> produce(ActionContext& ctx, const Target& target,
                                                 bool& streamed);
  boost::asio::awaitable<http::Response> run_route(ActionContext& ctx, bool& streamed);
  boost::asio::awaitable<http::Response> run_vhost_chain(ActionContext& ctx, const Target& target,
                                                         bool& streamed);
  // The PHP / proxy action, through the cache when the route or vhost has one enabled.
  boost::asio::awaitable<std::optional<http::Response>> run_php(ActionContext& ctx,
                                                                const fxs::Php& php);
  boost::asio::awaitable<std::optional<http::Response>> run_proxy(ActionContext& ctx,
                                                                  const fxs::Proxy& proxy);
  void record(const http::Request& req, const RequestContext& rc);
  struct RequestSeries {
    metrics::Counter* requests;
    metrics::Histogram* duration;
    metrics::Counter* body_bytes;
  };
  RequestSeries& request_series(std::string_view vhost, HandlerKind handler,
                                std::string_view method, unsigned status);

  metrics::Registry& metrics_;
  PhpAction* php_;
  ProxyAction* proxy_;
  CacheAction* cache_;
};

}  // namespace flux::runtime::core
