#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/core/dispatcher.hpp"

#include <boost/asio/use_awaitable.hpp>

#include "runtime/core/access_log.hpp"
#include "runtime/core/request_id.hpp"
#include "runtime/core/site_state.hpp"
#include "runtime/core/template_eval.hpp"
#include "runtime/http/router.hpp"
#include "runtime/http/uri.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {
namespace {

namespace asio = boost::asio;

std::string_view str(const flatbuffers::String* s) { return s == nullptr ? "" : s->string_view(); }

bool has_proxy(const fxs::Proxy* p) {
  return p != nullptr && (p->upstream() != nullptr || (p->upstreams() && p->upstreams()->size() != 0));
}

http::Response redirect_response(unsigned status, std::string location) {
  http::Response r;
  r.status = status;
  r.add("Location", std::move(location));
  r.add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::to_string(status) + " " + std::string(http::reason_phrase(status)) + "\n";
  for (auto& c : r.body) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

http::Response respond_action(const fxs::Respond& respond) {
  http::Response r;
  r.status = respond.status();
  const std::string_view type = str(respond.content_type());
  r.add("Content-Type", type.empty() ? "text/plain; charset=utf-8" : std::string(type));
  r.body = std::string(str(respond.body()));
  return r;
}

// config-reference.md §1.3: https://host[:target_port]{uri}
std::optional<http::Response> https_redirect(const fxs::Snapshot& snap, const http::Request& req,
                                             const fxs::Vhost* vhost, const fxs::Route* route) {
  const auto* hr = snap.config()->server()->https_redirect();
  if (hr == nullptr || !hr->enabled() || req.tls) return std::nullopt;
  if ((vhost && vhost->https_redirect_exempt()) || (route && route->https_redirect_exempt())) {
    return std::nullopt;
  }
  if (req.host.empty()) return std::nullopt;
  std::string location = "https://" + (req.host.find(':') != std::string::npos ? "[" + req.host + "]" : req.host);
  if (hr->target_port().has_value()) location += ":" + std::to_string(*hr->target_port());
  location.append(req.path);
  if (req.has_query) location.append("?").append(req.query);
  return redirect_response(hr->status(), std::move(location));
}

std::string scope_label(const fxs::Route* route) {
  return route == nullptr ? "vhost" : "route:" + std::string(str(route->name()));
}

// config-reference.md §10: a route's cache (already merged over its vhost's by fluxc), else
// the vhost's; requests without a vhost use the root-level [cache].
const fxs::Cache* cache_of(const ActionContext& ctx) {
  const fxs::Cache* cache = ctx.generation.config().cache();
  if (ctx.route != nullptr && ctx.route->cache() != nullptr) {
    cache = ctx.route->cache();
  } else if (ctx.vhost != nullptr) {
    cache = ctx.vhost->cache();
  }
  return cache != nullptr && cache->enabled() ? cache : nullptr;
}

}  // namespace

// The handler set of a vhost, or of the root-level fallback ([web], [proxy]).
struct Dispatcher::Target {
  const fxs::Web* web = nullptr;
  const fxs::Redirect* redirect = nullptr;
  const fxs::Php* php = nullptr;
  const fxs::Proxy* proxy = nullptr;
  const fxs::Headers* headers = nullptr;
};

asio::awaitable<std::optional<http::Response>> Dispatcher::run_php(ActionContext& ctx,
                                                                   const fxs::Php& php) {
  const fxs::Cache* cache = cache_ != nullptr ? cache_of(ctx) : nullptr;
  if (cache == nullptr) co_return co_await php_->handle(ctx, php);
  // php-behaviour.md §12: the lookup runs here, before the PHP handler takes its in-flight
  // permit, so hits never touch php-fpm.
  co_return co_await cache_->serve(
      ctx, *cache, [action = php_, &php](ActionContext& c) { return action->handle(c, php); });
}

asio::awaitable<std::optional<http::Response>> Dispatcher::run_proxy(ActionContext& ctx,
                                                                     const fxs::Proxy& proxy) {
  // Not a coroutine itself: it hands back the handler's (or the cache's) awaitable, which
  // saves a frame per proxied request. Everything captured outlives the exchange.
  const fxs::Cache* cache = cache_ != nullptr ? cache_of(ctx) : nullptr;
  if (cache == nullptr) return proxy_->handle(ctx, proxy);
  return cache_->serve(
      ctx, *cache, [action = proxy_, &proxy](ActionContext& c) { return action->handle(c, proxy); });
}

asio::awaitable<http::Response> Dispatcher::run_route(ActionContext& ctx, bool& streamed) {
  const fxs::Route& route = *ctx.route;
  const http::Request& req = ctx.exchange.request();
  if (route.redirect() != nullptr) {
    ctx.rc.handler = HandlerKind::kRedirect;
    auto to = ctx.expand(*route.redirect()->to());
    if (!to) co_return http::generated_error(500);
    co_return redirect_response(route.redirect()->status(), std::move(*to));
  }
  if (route.respond() != nullptr) co_return respond_action(*route.respond());
  if (route.web() != nullptr) {
    ctx.rc.handler = HandlerKind::kStatic;
    const SiteState& site = site_of(ctx.generation);
    const statics::StaticContext sc =
        site.static_context(*route.web(), *ctx.generation.root().routing(), ctx.vhost_index, ctx.path);
    auto result = statics::serve_static(sc, req);
    if (result.declined == statics::Decline::kNone) co_return std::move(result.response);
    co_return http::generated_error(result.declined == statics::Decline::kPhpScript ? 403 : 404);
  }
  if (route.php() != nullptr) {
    ctx.rc.handler = HandlerKind::kPhp;
    if (php_ == nullptr) co_return http::generated_error(502);
    auto response = co_await run_php(ctx, *route.php());
    co_return response ? std::move(*response) : http::generated_error(404);
  }
  if (route.proxy() != nullptr) {
    ctx.rc.handler = HandlerKind::kProxy;
    if (proxy_ == nullptr) co_return http::generated_error(502);
    auto response = co_await run_proxy(ctx, *route.proxy());
    if (!response) {
      streamed = true;
      co_return http::Response{};
    }
    co_return std::move(*response);
  }
  co_return http::generated_error(404);
}

asio::awaitable<http::Response> Dispatcher::run_vhost_chain(ActionContext& ctx,
                                                            const Target& target, bool& streamed) {
  const http::Request& req = ctx.exchange.request();
  if (target.redirect != nullptr && target.redirect->enabled()) {
    ctx.rc.handler = HandlerKind::kRedirect;
    auto to = ctx.expand(*target.redirect->to());
    if (!to) co_return http::generated_error(500);
    co_return redirect_response(target.redirect->status(), std::move(*to));
  }
  bool php_script = false;
  if (target.web != nullptr && target.web->root() != nullptr) {
    const SiteState& site = site_of(ctx.generation);
    const statics::StaticContext sc =
        site.static_context(*target.web, *ctx.generation.root().routing(), ctx.vhost_index, ctx.path);
    auto result = statics::serve_static(sc, req);
    if (result.declined == statics::Decline::kNone) {
      ctx.rc.handler = HandlerKind::kStatic;
      co_return std::move(result.response);
    }
    php_script = result.declined == statics::Decline::kPhpScript;
  }
  if (target.php != nullptr && target.php->enabled()) {
    ctx.rc.handler = HandlerKind::kPhp;
    if (php_ == nullptr) co_return http::generated_error(502);
    auto response = co_await run_php(ctx, *target.php);
    if (response) co_return std::move(*response);
  }
  if (has_proxy(target.proxy)) {
    ctx.rc.handler = HandlerKind::kProxy;
    if (proxy_ == nullptr) co_return http::generated_error(502);
    auto response = co_await run_proxy(ctx, *target.proxy);
    if (!response) {
      streamed = true;
      co_return http::Response{};
    }
    co_return std::move(*response);
  }
  ctx.rc.handler = HandlerKind::kGenerated;
  // php-behaviour.md §1.3: a PHP script that no PHP handler takes is refused, never shown.
  co_return http::generated_error(php_script ? 403 : 404);
}

asio::awaitable<void> Dispatcher::handle(http::Exchange& ex) {
  const Generation& gen = *ex.generation();
  const fxs::Snapshot& snap = gen.root();
  const SiteState& site = site_of(gen);
  if (!site.trusted_proxies().empty()) {
    ex.set_client(effective_client(ex.request(), site.trusted_proxies()));
  }
  const http::Request& req = ex.request();
  RequestContext rc;
  rc.started = std::chrono::steady_clock::now();
  const auto* access = snap.config()->logging() ? snap.config()->logging()->access() : nullptr;
  const bool want_id = access == nullptr || access->request_id();
  const std::string_view id_header =
      access && access->request_id_header() ? access->request_id_header()->string_view()
                                            : std::string_view("x-request-id");
  if (want_id) {
    const http::Header* inbound = req.find(id_header);
    rc.request_id = inbound && is_valid_request_id(inbound->value) ? std::string(inbound->value)
                                                                    : new_request_id();
  }

  const http::HostMatch host = http::select_host(snap, req);
  const fxs::Vhost* vhost = nullptr;
  Target target;
  if (host.decision == http::HostDecision::kVhost) {
    vhost = snap.config()->vhosts()->Get(static_cast<flatbuffers::uoffset_t>(host.vhost));
    rc.vhost = str(vhost->name());
    target = {vhost->web(), vhost->redirect(), vhost->php(), vhost->proxy(), vhost->headers()};
    // A vhost with TLS disabled is not served on TLS listeners (config-reference.md §3).
    if (req.tls && (vhost->tls() == nullptr || !vhost->tls()->enabled()) &&
        snap.config()->tls() && snap.config()->tls()->enabled()) {
      vhost = nullptr;
    }
  } else if (host.decision == http::HostDecision::kFallback) {
    const auto* cfg = snap.config();
    target = {cfg->web(), nullptr, nullptr, cfg->proxy(), cfg->headers()};
  }

  RequestExpressions exprs(gen, req);
  const TemplateExpander expand = exprs.expander();
  const fxs::Headers* headers = target.headers;
  bool streamed = false;
  http::Response response;
  if (host.decision == http::HostDecision::kBadRequest) {
    response = http::generated_error(400);
  } else if (host.decision == http::HostDecision::kMisdirected ||
             (host.decision == http::HostDecision::kVhost && vhost == nullptr)) {
    response = http::plain_text(421, "unknown host identity\n");
  } else {
    const std::string routing_path = http::decode_unreserved(req.path);
    http::RouteMatch match;
    if (vhost != nullptr) {
      const auto when = [&](const fxs::Route& r) { return exprs.when(r); };
      match = http::select_route(site.regexes(), *vhost, req.method, routing_path, when);
    }
    const fxs::Route* route =
        match.route >= 0 ? vhost->routes()->Get(static_cast<flatbuffers::uoffset_t>(match.route))
                         : nullptr;
    exprs.select_route(route);
    std::string action_path(req.path);
    if (route != nullptr) {
      rc.route = str(route->name());
      if (route->headers()) headers = route->headers();
      if (route->rewrite_template() && route->rewrite_template()->source()) {
        auto rewritten = exprs.expand(*route->rewrite_template());
        action_path = rewritten ? std::move(*rewritten) : std::string(req.path);
      } else {
        action_path = http::rewrite_path(*route, req.path);
      }
    }
    const std::string scope = scope_label(route);
    const auto finalize = [&](http::Response& r) {
      PolicyStats stats;
      apply_response_policy(headers ? headers->response() : nullptr, req.tls, expand, r, stats);
      if (!rc.request_id.empty()) r.add(std::string(id_header), rc.request_id);
    };
    ActionContext ctx{ex,    gen,   host.vhost, match.route, vhost,   route,
                      std::move(action_path), scope, rc, expand, finalize};
    // The most specific limit wins (config-reference.md §1.1): PHP's own, then route, vhost,
    // server. A declared length over it is refused before any handler runs.
    std::uint64_t body_limit = effective_body_limit(snap, vhost, route);
    const fxs::Php* php_target = route != nullptr ? route->php() : target.php;
    if (php_target != nullptr && php_target->enabled() && php_target->max_request_body_bytes()) {
      body_limit = *php_target->max_request_body_bytes();
    }
    ex.set_body_limit(body_limit);
    if (req.content_length && *req.content_length > body_limit) {
      ex.close_after();
      response = http::plain_text(413, "payload too large\n");
    } else if (auto redirect = https_redirect(snap, req, vhost, route)) {
      rc.handler = HandlerKind::kRedirect;
      response = std::move(*redirect);
    } else if (route != nullptr) {
      response = co_await run_route(ctx, streamed);
    } else {
      response = co_await run_vhost_chain(ctx, target, streamed);
    }
  }
  if (!streamed) {
    PolicyStats stats;
    apply_response_policy(headers ? headers->response() : nullptr, req.tls, expand, response, stats);
    if (!rc.request_id.empty()) response.add(std::string(id_header), rc.request_id);
    rc.status = response.status;
    rc.body_bytes = req.method == "HEAD" ? 0 : response.body_length();
    co_await ex.send(std::move(response));
  }
  record(req, rc);
  log_access(snap, req, rc);
}

void Dispatcher::on_rejected(const http::Request& partial, unsigned status) {
  RequestContext rc;
  rc.started = std::chrono::steady_clock::now();
  rc.status = status;
  record(partial, rc);
}

void Dispatcher::record(const http::Request& req, const RequestContext& rc) {
  const std::string_view method = normalized_method(req.method);
  RequestSeries& series = request_series(rc.vhost, rc.handler, method, rc.status);
  series.requests->inc();
  series.duration->observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - rc.started).count());
  series.body_bytes->inc(rc.body_bytes);
}

// The three request series of a (vhost, handler, method, status), cached per thread by value:
// vhost names live in the snapshot, so the key copies them; hits allocate nothing.
Dispatcher::RequestSeries& Dispatcher::request_series(std::string_view vhost, HandlerKind handler,
                                                      std::string_view method, unsigned status) {
  struct Entry {
    std::string vhost;
    HandlerKind handler;
    std::string_view method;  // one of normalized_method's static strings
    unsigned status;
    RequestSeries series;
  };
  thread_local std::vector<Entry> cache;
  thread_local std::uint64_t owner = 0;
  if (owner != metrics_.id()) {
    cache.clear();
    owner = metrics_.id();
  }
  for (Entry& e : cache) {
    if (e.status == status && e.handler == handler && e.method.data() == method.data() &&
        e.vhost == vhost) {
      return e.series;
    }
  }
  const std::string status_text = std::to_string(status);
  const metrics::Label labels[] = {{"vhost", vhost},
                                   {"handler", handler_label(handler)},
                                   {"method", method},
                                   {"status", status_text}};
  const metrics::Label hist_labels[] = {{"vhost", vhost}, {"handler", handler_label(handler)}};
  const metrics::Label vhost_label[] = {{"vhost", vhost}};
  RequestSeries s{
      &metrics_.counter("fluxheim_http_requests_total",
                        "HTTP requests by vhost, handler, method and status.", labels),
      &metrics_.histogram("fluxheim_http_request_duration_seconds", "Request duration.", hist_labels),
      &metrics_.counter("fluxheim_http_response_body_bytes_total", "Response body bytes sent.",
                        vhost_label)};
  if (cache.size() >= 256) cache.erase(cache.begin());  // bounded; order does not matter
  cache.push_back({std::string(vhost), handler, method, status, s});
  return cache.back().series;
}

}  // namespace flux::runtime::core
