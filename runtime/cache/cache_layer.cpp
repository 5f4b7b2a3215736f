#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/cache/cache_layer.hpp"

#include <unordered_map>

#include "runtime/cache/layer_request.hpp"
#include "runtime/cache/request_rules.hpp"
#include "runtime/expr/evaluator.hpp"
#include "runtime/http/uri.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::cache {
namespace {

namespace asio = boost::asio;

// The cache tables of one generation, each bound to its zone.
class CacheState final : public GenerationState {
 public:
  const Binding* find(const fxs::Cache* cache) const {
    const auto it = bindings_.find(cache);
    return it == bindings_.end() ? nullptr : it->second.get();
  }
  void add(const fxs::Cache* cache, const std::string& label, ZoneSet& zones) {
    if (cache == nullptr || !cache->enabled() || bindings_.contains(cache)) return;
    if (cache->memory() == nullptr || !cache->memory()->enabled()) return;
    auto binding = std::make_unique<Binding>();
    binding->policy = build_policy(*cache);
    binding->zone = zones.adopt(label, binding->policy);
    bindings_.emplace(cache, std::move(binding));
  }

 private:
  std::unordered_map<const fxs::Cache*, std::unique_ptr<Binding>> bindings_;
};

bool predicate(const core::ActionContext& ctx, std::int32_t index,
               core::RequestExpressions& exprs) {
  if (index < 0) return false;
  const expr::Program* program = core::site_of(ctx.generation).program(index);
  return program != nullptr && expr::evaluate_predicate(*program, exprs.vars());
}

// The expanded key_template (none: key_parts are used). HEAD requests expand it as the GET
// they are answered from. `ok` is false when it cannot be expanded (over 16KiB): such a
// request bypasses the cache rather than share a truncated key.
struct KeyBody {
  bool ok = true;
  std::optional<std::string> text;
};

KeyBody expand_key_template(const core::ActionContext& ctx, const CachePolicy& policy,
                            core::RequestExpressions& exprs) {
  if (policy.key_template < 0) return {};
  const expr::Program* program = core::site_of(ctx.generation).program(policy.key_template);
  if (program == nullptr) return {false, std::nullopt};
  const http::Request& req = ctx.exchange.request();
  std::string out;
  bool ok = false;
  if (req.method == "HEAD") {
    http::Request as_get = req;
    as_get.method = "GET";
    core::RequestExpressions get_exprs(ctx.generation, as_get);
    get_exprs.select_route(ctx.route);
    ok = expr::render_template(*program, get_exprs.vars(), out);
  } else {
    ok = expr::render_template(*program, exprs.vars(), out);
  }
  return {ok, std::move(out)};
}

}  // namespace

Result<std::unique_ptr<GenerationState>> CacheLayer::build(const LoadedSnapshot& snapshot) {
  auto state = std::make_unique<CacheState>();
  const fxs::Config& cfg = *snapshot.root().config();
  // Zone labels follow the PHP pool labels ({vhost}/{scope}); "root" is the fallback [cache].
  state->add(cfg.cache(), "root", zones_);
  if (const auto* vhosts = cfg.vhosts()) {
    for (const auto* vh : *vhosts) {
      const std::string vhost = vh->name()->str();
      state->add(vh->cache(), vhost + "/vhost", zones_);
      if (vh->routes() == nullptr) continue;
      for (const auto* route : *vh->routes()) {
        state->add(route->cache(), vhost + "/route:" + route->name()->str(), zones_);
      }
    }
  }
  return std::unique_ptr<GenerationState>(std::move(state));
}

void CacheLayer::count(core::ActionContext& ctx, std::string_view result) {
  ctx.rc.cache = result;
  const metrics::Label labels[] = {{"vhost", ctx.rc.vhost}, {"result", result}};
  metrics_.counter("fluxheim_cache_requests_total", "Cache lookups by result.", labels).inc();
}

asio::awaitable<std::optional<http::Response>> CacheLayer::serve(core::ActionContext& ctx,
                                                                 const fxs::Cache& cache,
                                                                 Origin origin) {
  const auto* state =
      static_cast<const CacheState*>(core::site_of(ctx.generation).extension(slot_));
  const Binding* binding = state != nullptr ? state->find(&cache) : nullptr;
  if (binding == nullptr) co_return co_await origin(ctx);
  Request r(ctx, *binding, std::move(origin));
  const http::Request& req = ctx.exchange.request();
  r.exprs.select_route(ctx.route);
  r.target.path = http::decode_unreserved(req.path);
  r.target.host = req.host;
  r.target.authorization = req.find("authorization") != nullptr;
  const RequestFacts facts{req.method, req.host, r.target.path, req.query, req.has_query};
  bool bypass = bypass_reason(r.policy, facts, r.exprs.vars()) != Bypass::kNone ||
                predicate(ctx, r.policy.bypass_when, r.exprs);
  KeyBody body;
  if (!bypass) {
    body = expand_key_template(ctx, r.policy, r.exprs);
    bypass = !body.ok;
  }
  if (bypass) {
    r.phase = kBypass;
    co_return co_await fetch(r, false);
  }
  r.target.key = build_key(r.policy, facts, body.text, r.exprs.vars());
  r.no_store = predicate(ctx, r.policy.no_store_when, r.exprs);
  co_return co_await lookup_and_fetch(r);
}

http::Response CacheLayer::answer_stored(Request& r, Phase phase, const StoredResponse& object) {
  r.phase = phase;
  http::Response response = to_response(object, Clock::now());
  set_status_header(r.policy, phase, response);
  count(r.ctx, phase.result);
  return response;
}

asio::awaitable<std::optional<http::Response>> CacheLayer::lookup_and_fetch(Request& r) {
  Zone& zone = *r.target.zone;
  const CachePolicy& policy = r.policy;
  const bool refresh = client_wants_refresh(policy, r.exprs.vars());
  if (!refresh) {
    const Lookup found = zone.lookup(r.target.key, Clock::now());
    switch (found.state) {
      case Freshness::kFresh:
        co_return answer_stored(r, kHit, *found.object);
      case Freshness::kRevalidate: {
        // RFC 5861 §3: answer stale, and let exactly one background request refresh the key.
        const auto token = zone.locks().try_lead(r.target.key, policy.lock_age_timeout);
        if (token) refresh_in_background(r, *token);
        co_return answer_stored(r, token ? kStale : kUpdating, *found.object);
      }
      case Freshness::kStale:
        r.phase = kExpired;
        r.stale = found.object;
        break;
      case Freshness::kExpired:
        r.phase = kExpired;
        break;
      case Freshness::kMiss:
        break;
    }
  }
  // HEAD is answered from GET entries but never fills one (its response has no body).
  const bool store_it = r.ctx.exchange.request().method != "HEAD" && !r.no_store;
  if (!store_it || !policy.lock_enabled) co_return co_await fetch(r, store_it);
  const Coalescer::Ticket ticket = co_await zone.locks().acquire(
      r.ctx.exchange.executor(), r.target.key, policy.lock_age_timeout, policy.lock_wait_timeout);
  if (ticket.role == Coalescer::Role::kLeader) {
    LeadGuard guard(r.target.zone, zone.locks(), r.target.key, ticket.token);
    // The previous leader may have stored the key between our lookup and our lead.
    const Lookup again = refresh ? Lookup{} : zone.lookup(r.target.key, Clock::now());
    if (again.state == Freshness::kFresh) co_return answer_stored(r, kHit, *again.object);
    co_return co_await fetch(r, true);
  }
  zone.lock_waits().inc();
  if (ticket.role == Coalescer::Role::kWoken) {
    const Lookup found = zone.lookup(r.target.key, Clock::now());
    if (found.state == Freshness::kFresh) co_return answer_stored(r, kHit, *found.object);
  }
  // §10 lock.wait_timeout_secs: a waiter that gives up goes to the origin itself, uncached
  // (and so does one whose leader got nothing storable).
  co_return co_await fetch(r, false);
}

}  // namespace flux::runtime::cache
