// Going to the origin for the cache: the teed action context, storing what came back,
// stale_if_error, and the stale_while_revalidate background refresh (RFC 5861).

#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include <boost/asio/co_spawn.hpp>

#include <charconv>
#include <ctime>

#include "runtime/cache/layer_request.hpp"
#include "runtime/core/header_policy.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/snapshot/generation.hpp"

namespace flux::runtime::cache {
namespace {

namespace asio = boost::asio;
using Finalize = std::function<void(http::Response&)>;

// RFC 9111 §4.2.3: the origin's Age counts into the age we report; ours is added on serving.
std::uint64_t take_age(HeaderList& headers) {
  std::uint64_t age = 0;
  std::erase_if(headers, [&](const auto& h) {
    if (!http::iequals(h.first, "age")) return false;
    std::from_chars(h.second.data(), h.second.data() + h.second.size(), age);
    return true;
  });
  return age;
}

// The head the action is about to send: keep a copy of it (before the response policy), and
// stop copying the body when the head alone already rules out storage.
void keep_head(Capture& capture, const StoreTarget& target, http::Response& head) {
  capture.head(head);
  if (!capture.wanted) return;
  const ResponseFacts facts{head.status, &capture.headers, 0, target.authorization,
                            std::time(nullptr)};
  if (!head_decision(*target.policy, facts).storable()) {
    capture.wanted = false;
    return;
  }
  hide_headers(*target.policy, head.headers);
}

// Stores what an action produced: a complete response, or a captured streamed one. False when
// it was a response of the origin that the policy did not let in.
bool store_result(const StoreTarget& target, std::optional<http::Response>& response,
                  Capture& capture, std::string_view outcome, std::uint64_t epoch) {
  if (!is_origin_response(outcome)) return true;
  if (response) {
    if (response->file.present()) return false;
    return store(target, response->status, response->headers, response->body, epoch) ==
           NoStore::kNone;
  }
  if (!capture.started) return true;  // declined: there was no response
  if (!capture.wanted || !capture.complete || capture.overflow) return false;
  return store(target, capture.status, capture.headers, capture.body, epoch) == NoStore::kNone;
}

// A background refresh: everything a request needs, owned, because the client that triggered
// it has its answer already and its exchange is gone.
struct Refresh {
  Refresh(core::ActionContext& client, StoreTarget t, core::CacheAction::Origin o, LeadGuard g)
      : generation(client.exchange.generation()),
        capture(t.policy->max_object_bytes),
        exchange(client.exchange.request(), generation, client.exchange.executor(), capture),
        target(std::move(t)),
        origin(std::move(o)),
        guard(std::move(g)),
        exprs(*generation, exchange.request()),
        expand(exprs.expander()),
        finalize([this](http::Response& head) { keep_head(capture, target, head); }),
        scope(client.scope),
        ctx{exchange,
            *generation,
            client.vhost_index,
            client.route_index,
            client.vhost,
            client.route,
            client.path,
            scope,
            rc,
            expand,
            finalize} {
    rc.started = std::chrono::steady_clock::now();
    rc.vhost = client.rc.vhost;
    rc.route = client.rc.route;
    rc.request_id = client.rc.request_id;
    exprs.select_route(client.route);
  }

  std::shared_ptr<const Generation> generation;
  Capture capture;
  DetachedExchange exchange;
  StoreTarget target;
  core::CacheAction::Origin origin;
  LeadGuard guard;
  core::RequestExpressions exprs;
  core::TemplateExpander expand;
  Finalize finalize;
  std::string scope;
  core::RequestContext rc;
  core::ActionContext ctx;
};

asio::awaitable<void> run_refresh(std::shared_ptr<Refresh> job) {
  const std::uint64_t epoch = job->target.zone->epoch();
  std::optional<http::Response> response = co_await job->origin(job->ctx);
  const bool stored = store_result(job->target, response, job->capture, job->rc.outcome, epoch);
  log::logger().log(log::Level::kDebug, "cache background refresh",
                    {{"zone", job->target.zone->label()},
                     {"key", job->target.key},
                     {"outcome", job->rc.outcome},
                     {"stored", stored},
                     {"request_id", job->rc.request_id}});
  job->guard.release();
}

}  // namespace

NoStore store(const StoreTarget& target, unsigned status, HeaderList& headers,
              const std::string& body, std::uint64_t epoch) {
  const CachePolicy& policy = *target.policy;
  const ResponseFacts facts{status, &headers, object_size(target.key, headers, body.size()),
                            target.authorization, std::time(nullptr)};
  const StoreDecision decision = storage_decision(policy, facts);
  if (!decision.storable()) {
    log::logger().log(log::Level::kDebug, "cache: response not stored",
                      {{"zone", target.zone->label()},
                       {"key", target.key},
                       {"reason", no_store_label(decision.reason)}});
    return decision.reason;
  }
  hide_headers(policy, headers);
  auto object = std::make_shared<StoredResponse>();
  object->status = status;
  object->headers = headers;
  object->initial_age = take_age(object->headers);
  object->body = body;
  object->host = target.host;
  object->path = target.path;
  object->stored_at = Clock::now();
  object->fresh_until = object->stored_at + std::chrono::seconds(decision.ttl_secs);
  object->stale_until =
      object->fresh_until + std::chrono::seconds(policy.stale_while_revalidate.value_or(0));
  object->error_until =
      object->fresh_until + std::chrono::seconds(policy.stale_if_error.value_or(0));
  object->size = object_size(target.key, object->headers, object->body.size());
  target.zone->insert(target.key, std::move(object), epoch);
  return NoStore::kNone;
}

http::Response to_response(const StoredResponse& object, Clock::time_point now) {
  http::Response r;
  r.status = object.status;
  r.headers.reserve(object.headers.size() + 4);  // + Age, status header, policy, request id
  r.headers.insert(r.headers.end(), object.headers.begin(), object.headers.end());
  r.body = object.body;
  const auto resident = std::chrono::duration_cast<std::chrono::seconds>(now - object.stored_at);
  r.add("Age", std::to_string(object.initial_age + static_cast<std::uint64_t>(resident.count())));
  return r;
}

void set_status_header(const CachePolicy& policy, Phase phase, http::Response& response) {
  if (policy.status_header.empty()) return;
  core::remove_header(response, policy.status_header);
  response.add(policy.status_header, std::string(phase.header));
}

asio::awaitable<std::optional<http::Response>> CacheLayer::fetch(Request& r, bool store_it) {
  core::ActionContext& ctx = r.ctx;
  const std::uint64_t epoch = r.target.zone->epoch();
  Capture capture(r.policy.max_object_bytes);
  capture.wanted = store_it;
  TeeExchange tee(ctx.exchange, capture, store_it);
  const Finalize finalize = [&](http::Response& head) {
    if (store_it) keep_head(capture, r.target, head);
    set_status_header(r.policy, r.phase, head);
    ctx.finalize(head);
  };
  core::ActionContext teed{tee,       ctx.generation, ctx.vhost_index, ctx.route_index,
                           ctx.vhost, ctx.route,      ctx.path,        ctx.scope,
                           ctx.rc,    ctx.expand,     finalize};
  std::optional<http::Response> response = co_await r.origin(teed);
  // Declined (php-behaviour.md §1.4): the next action answers, and is the one counted.
  if (!response && !capture.started) co_return response;
  const std::string_view outcome = ctx.rc.outcome;
  std::string_view result = r.phase.result;
  if (response && r.stale && is_origin_error(r.policy, outcome, response->status)) {
    // php-behaviour.md §12: stale_if_error answers with the stored object instead.
    r.phase = kStale;
    result = kStale.result;
    response = to_response(*r.stale, Clock::now());
  } else if (store_it && !store_result(r.target, response, capture, outcome, epoch)) {
    result = kNoStoreResult;
  } else if (!store_it && r.no_store && is_origin_response(outcome)) {
    result = kNoStoreResult;
  }
  if (response) set_status_header(r.policy, r.phase, *response);
  count(ctx, result);
  co_return response;
}

void CacheLayer::refresh_in_background(Request& r, std::uint64_t token) {
  LeadGuard guard(r.target.zone, r.target.zone->locks(), r.target.key, token);
  auto job = std::make_shared<Refresh>(r.ctx, r.target, r.origin, std::move(guard));
  asio::co_spawn(r.ctx.exchange.executor(), run_refresh(std::move(job)),
                 [](const std::exception_ptr&) {});
}

}  // namespace flux::runtime::cache
