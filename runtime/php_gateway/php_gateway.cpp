#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/php_gateway/php_gateway.hpp"

#include <algorithm>
#include <ctime>

#include "runtime/core/access_log.hpp"
#include "runtime/core/request_policy.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/php/offload.hpp"
#include "runtime/php/response_parser.hpp"
#include "runtime/php/stderr_log.hpp"
#include "runtime/core/error_pages.hpp"
#include "runtime/php_gateway/request_body.hpp"
#include "runtime/php/resolution_cache.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::php_gateway {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::string_view str(const flatbuffers::String* s) { return s == nullptr ? "" : s->string_view(); }

fastcgi::BodySource body_source(const RequestBody& body) {
  fastcgi::BodySource src;
  src.length = body.length;
  if (body.spool_fd >= 0) {
    src.spool_fd = body.spool_fd;
  } else {
    src.memory = body.memory;
  }
  return src;
}

}  // namespace

Result<std::unique_ptr<GenerationState>> PhpGateway::build(const LoadedSnapshot& snapshot) {
  auto state = std::make_unique<PhpGenerationState>();
  const auto* vhosts = snapshot.root().config()->vhosts();
  if (vhosts == nullptr) return std::unique_ptr<GenerationState>(std::move(state));
  for (const auto* vh : *vhosts) {
    const std::string vhost = vh->name()->str();
    auto add = [&](const fxs::Php* php, const std::string& scope) -> Result<void> {
      if (php == nullptr || !php->enabled()) return {};
      auto block = build_php_block(*php, vhost, scope, managed_, metrics_);
      if (!block) return block.error();
      state->add(php, std::move(block.value()));
      return {};
    };
    if (auto r = add(vh->php(), "vhost"); !r) return r.error();
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (auto r = add(route->php(), "route:" + route->name()->str()); !r) return r.error();
    }
  }
  return std::unique_ptr<GenerationState>(std::move(state));
}

void PhpGateway::record(const PhpBlock& block, std::string_view outcome, Clock::time_point started) {
  // The series of a (vhost, scope, outcome), cached per thread by value so a hit allocates
  // nothing.
  struct Entry {
    std::string vhost, scope;
    std::string_view outcome;
    metrics::Counter* requests;
    metrics::Histogram* duration;
  };
  thread_local std::vector<Entry> cache;
  thread_local std::uint64_t owner = 0;
  if (owner != metrics_.id()) {
    cache.clear();
    owner = metrics_.id();
  }
  Entry* hit = nullptr;
  for (Entry& e : cache) {
    if (e.outcome == outcome && e.vhost == block.vhost && e.scope == block.scope) {
      hit = &e;
      break;
    }
  }
  if (hit == nullptr) {
    const metrics::Label labels[] = {{"vhost", block.vhost}, {"scope", block.scope},
                                     {"runtime", "php-fpm"}, {"outcome", outcome}};
    const metrics::Label hist[] = {{"vhost", block.vhost}, {"scope", block.scope}, {"outcome", outcome}};
    if (cache.size() >= 256) cache.erase(cache.begin());
    cache.push_back({block.vhost, block.scope, outcome,
                     &metrics_.counter("fluxheim_php_requests_total", "PHP requests by outcome.", labels),
                     &metrics_.histogram("fluxheim_php_request_duration_seconds",
                                         "PHP request duration.", hist)});
    hit = &cache.back();
  }
  hit->requests->inc();
  hit->duration->observe(std::chrono::duration<double>(Clock::now() - started).count());
}

http::Response PhpGateway::error_response(core::ActionContext& ctx, const PhpBlock& block,
                                          unsigned status, std::string body) {
  // php-behaviour.md §10: generated errors use an error page of the same status when there is
  // one; otherwise the short text of §2.
  if (auto page = core::serve_error_page(ctx, block.config->error_pages(), static_cast<std::uint16_t>(status))) {
    return std::move(*page);
  }
  return http::plain_text(status, std::move(body));
}

asio::awaitable<std::optional<http::Response>> PhpGateway::handle(core::ActionContext& ctx,
                                                                  const fxs::Php& php) {
  const auto started = Clock::now();
  const auto* state = static_cast<const PhpGenerationState*>(core::site_of(ctx.generation).extension(slot_));
  const PhpBlock* block = state != nullptr ? state->find(&php) : nullptr;
  if (block == nullptr) co_return http::plain_text(502, "php-fpm failed\n");
  const http::Request& req = ctx.exchange.request();

  // §2 step 1: methods (TRACE and CONNECT can never be configured).
  if (std::find(block->methods.begin(), block->methods.end(), req.method) == block->methods.end()) {
    record(*block, "method_not_allowed", started);
    http::Response r = error_response(ctx, *block, 405, "method not allowed\n");
    r.add("Allow", block->allow_header);
    co_return r;
  }
  // §2 step 3: no connection upgrades through PHP.
  if (req.find("upgrade") != nullptr) {
    record(*block, "bad_request", started);
    co_return error_response(ctx, *block, 400, "unsupported upgrade target\n");
  }
  // §2 step 4, §3: script resolution.
  php::ResolutionCache& resolutions = php::ResolutionCache::for_this_thread();
  std::shared_ptr<const php::Resolution> resolved = resolutions.find(block->cache_scope, ctx.path);
  if (resolved == nullptr) {
    resolved = std::make_shared<const php::Resolution>(block->resolver->resolve(ctx.path, req.query));
    if (php::ResolutionCache::cacheable(*resolved)) resolutions.insert(block->cache_scope, ctx.path, resolved);
  }
  const php::Resolution& res = *resolved;
  switch (res.kind) {
    case php::ResolveKind::kExecute: break;
    case php::ResolveKind::kDecline:
      record(*block, "declined", started);
      co_return std::nullopt;
    case php::ResolveKind::kRedirect: {
      record(*block, "redirect", started);
      http::Response r;
      r.status = 308;
      r.add("Location", res.location);
      co_return r;
    }
    case php::ResolveKind::kNotFound:
      record(*block, "not_found", started);
      co_return error_response(ctx, *block, 404, "not found\n");
    case php::ResolveKind::kForbidden:
      record(*block, "forbidden", started);
      co_return error_response(ctx, *block, 403, "forbidden\n");
    case php::ResolveKind::kBadRequest:
      record(*block, "bad_request", started);
      co_return error_response(ctx, *block, 400, "bad request\n");
    case php::ResolveKind::kInternalError:
      record(*block, "fpm_error", started);
      co_return error_response(ctx, *block, 500, "internal error\n");
  }
  Exchange state_of_request;
  state_of_request.resolution = std::move(resolved);
  http::Response response = co_await run(ctx, *block, state_of_request);
  record(*block, state_of_request.outcome, started);
  ctx.rc.outcome = state_of_request.outcome;  // the cache stores only "ok" (§12)
  co_return response;
}

asio::awaitable<http::Response> PhpGateway::run(core::ActionContext& ctx, const PhpBlock& block,
                                                Exchange& x) {
  const fxs::Php& php = *block.config;
  http::Exchange& ex = ctx.exchange;
  const http::Request& req = ex.request();
  const metrics::Label scope_labels[] = {{"vhost", block.vhost}, {"scope", block.scope}};

  // §2 step 5, §7: the in-flight permit, queued FIFO for at most queue_timeout_ms.
  AdmissionResult admission = co_await block.limiter->acquire(ex.executor());
  if (admission.waited.count() != 0) {
    metrics_.histogram("fluxheim_php_queue_wait_seconds", "Time spent waiting for a PHP permit.",
                       scope_labels, metrics::queue_wait_buckets())
        .observe(std::chrono::duration<double>(admission.waited).count());
  }
  if (admission.admission != Admission::kAdmitted) {
    const std::string_view reason = admission.admission == Admission::kQueueFull ? "full"
                                    : admission.admission == Admission::kTimeout ? "timeout"
                                                                                 : "disabled";
    const metrics::Label labels[] = {{"vhost", block.vhost}, {"scope", block.scope}, {"reason", reason}};
    metrics_.counter("fluxheim_php_queue_rejections_total", "PHP requests refused by the limiter.", labels)
        .inc();
    x.outcome = "busy";
    http::Response r = error_response(ctx, block, 503, "php busy\n");
    r.add("Retry-After", "1");
    co_return r;
  }
  Permit permit = std::move(admission.permit);

  // §2 step 6, §6: the whole body, in memory or spooled, before php-fpm is contacted.
  BodyOptions options;
  options.limit = php.max_request_body_bytes() ? *php.max_request_body_bytes()
                                               : core::effective_body_limit(ctx.generation.root(), ctx.vhost, ctx.route);
  if (php.request_body_spool_threshold_bytes()) {
    options.spool_threshold = *php.request_body_spool_threshold_bytes();
    options.spool_dir = std::string(str(php.request_body_spool_dir()));
  }
  options.discard = !php.pass_request_body();
  options.deadline = Clock::now() + block.request_timeout;
  RequestBody body = co_await read_request_body(ex, options);
  switch (body.status) {
    case BodyStatus::kOk: break;
    case BodyStatus::kTooLarge:
      x.outcome = "payload_too_large";
      ex.close_after();
      co_return error_response(ctx, block, 413, "payload too large\n");
    case BodyStatus::kTimeout:
      x.outcome = "request_timeout";
      ex.close_after();
      co_return error_response(ctx, block, 408, "request timeout\n");
    case BodyStatus::kMalformed:
    case BodyStatus::kClosed:
      x.outcome = "bad_request";
      ex.close_after();
      co_return error_response(ctx, block, 400, "bad request\n");
    case BodyStatus::kSpoolError:
      log::logger().log(log::Level::kError, "php request body spool failed",
                        {{"vhost", block.vhost}, {"scope", block.scope}, {"error", body.error}});
      x.outcome = "fpm_error";
      co_return error_response(ctx, block, 500, "internal error\n");
  }
  if (body.spool_fd >= 0) {
    metrics_.counter("fluxheim_php_request_body_spooled_total", "Spooled PHP request bodies.", scope_labels).inc();
    metrics_.counter("fluxheim_php_request_body_spooled_bytes_total", "Spooled PHP request body bytes.",
                     scope_labels)
        .inc(body.length);
  }

  // §2 step 7, §5: params from the request after the request-header policy.
  const fxs::Headers* headers = ctx.route && ctx.route->headers() ? ctx.route->headers()
                                : ctx.vhost ? ctx.vhost->headers() : nullptr;
  const bool peer_trusted = core::site_of(ctx.generation).trusted_proxies().contains(req.peer.ip);
  const core::HeaderList policy_headers =
      core::apply_request_policy(headers ? headers->request() : nullptr, req, peer_trusted, ctx.expand);
  std::vector<php::HeaderView> header_views;
  header_views.reserve(policy_headers.size());
  for (const auto& [n, v] : policy_headers) header_views.push_back({n, v});
  php::RequestView view;
  view.method = req.method;
  view.request_uri = req.absolute_form ? req.target.substr(req.target.find(req.path)) : req.target;
  view.path = req.path;
  view.query = req.query;
  view.protocol = req.version == 10 ? "HTTP/1.0" : "HTTP/1.1";
  view.headers = header_views;
  view.tls = req.tls;
  view.remote_addr = req.client.ip;
  if (req.client.port != 0) view.remote_port = req.client.port;
  view.local_addr = req.local.ip;
  view.vhost_name = ctx.vhost ? str(ctx.vhost->name()) : "";
  view.body_length = body.length;
  php::ParamsResult params = php::build_params(view, x.resolution->script, block.params);
  if (!params.ok()) {
    log::logger().log(log::Level::kWarn, "php params refused",
                      {{"vhost", block.vhost}, {"param", params.param}});
    x.outcome = "bad_request";
    co_return error_response(ctx, block, 400, "bad request\n");
  }

  // §2 step 8, §8: the exchange, with the retry policy.
  const std::size_t header_cap = php.max_response_header_bytes();
  const auto check = [&](const fastcgi::ExchangeResult& r) {
    fastcgi::Verdict v;
    if (php::matches_failure_pattern(r.stderr_data, block.failure_patterns)) {
      v.invalid = true;
      v.reason = "php-fpm stderr matched configured failure pattern";
      return v;
    }
    const php::ResponseParse parsed = php::parse_response(r.stdout_data, header_cap);
    if (!parsed.ok()) {
      v.invalid = true;
      v.reason = std::string(php::to_string(parsed.error));
      return v;
    }
    v.status = parsed.response.status;
    return v;
  };
  const auto queue_deadline = Clock::now() + block.queue_timeout;
  fastcgi::ExchangeResult result = co_await block.client->execute(
      ex.executor(), params.params, body_source(body), req.method, queue_deadline, check);
  ctx.rc.upstream = std::to_string(result.endpoint);
  co_return finish(ctx, block, x, std::move(result));
}

}  // namespace flux::runtime::php_gateway
