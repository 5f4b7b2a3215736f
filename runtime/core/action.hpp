#pragma once
// The asynchronous actions the dispatcher delegates to (PHP through FastCGI, reverse proxy).

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "runtime/core/header_policy.hpp"
#include "runtime/core/request_context.hpp"
#include "runtime/http/exchange.hpp"

namespace flux::fxs {
struct Vhost;
struct Route;
struct Php;
struct Proxy;
struct Cache;
}  // namespace flux::fxs

namespace flux::runtime::core {

struct ActionContext {
  http::Exchange& exchange;
  const Generation& generation;
  std::int32_t vhost_index = -1;           // -1: root-level fallback
  std::int32_t route_index = -1;           // -1: vhost handlers
  const fxs::Vhost* vhost = nullptr;
  const fxs::Route* route = nullptr;
  std::string path;                        // raw path after strip/rewrite
  std::string_view scope;                  // "vhost" or "route:<name>" (metrics labels)
  RequestContext& rc;
  const TemplateExpander& expand;
  // Finishes a response head (response-header policy, request id) before it is sent; used by
  // handlers that stream their response themselves.
  std::function<void(http::Response&)> finalize;
};

class PhpAction {
 public:
  virtual ~PhpAction() = default;
  // nullopt: declined (an existing non-PHP file, php-behaviour.md §1.4).
  virtual boost::asio::awaitable<std::optional<http::Response>> handle(ActionContext& ctx,
                                                                       const fxs::Php& php) = 0;
};

class ProxyAction {
 public:
  virtual ~ProxyAction() = default;
  // nullopt: the response has been streamed to the client already.
  virtual boost::asio::awaitable<std::optional<http::Response>> handle(ActionContext& ctx,
                                                                       const fxs::Proxy& proxy) = 0;
};

// The HTTP cache in front of the PHP and proxy actions (config-reference.md §10,
// php-behaviour.md §12). `origin` runs the wrapped action; it may be called again later, with
// another context, for a background refresh, so it must not capture request-local state.
class CacheAction {
 public:
  using Origin =
      std::function<boost::asio::awaitable<std::optional<http::Response>>(ActionContext&)>;
  virtual ~CacheAction() = default;
  // Returns what `origin` returns (nullopt: declined or streamed), or a stored response.
  virtual boost::asio::awaitable<std::optional<http::Response>> serve(ActionContext& ctx,
                                                                      const fxs::Cache& cache,
                                                                      Origin origin) = 0;
};

}  // namespace flux::runtime::core
