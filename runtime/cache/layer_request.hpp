#pragma once
// Internal to runtime/cache: the state of one request inside the cache layer, and the storing
// and fetching steps that cache_layer.cpp (lookup flow) and origin_fetch.cpp (origin, storage,
// background refresh) share.

#include <memory>
#include <string>
#include <string_view>

#include "runtime/cache/cache_layer.hpp"
#include "runtime/cache/exchanges.hpp"
#include "runtime/cache/store.hpp"
#include "runtime/core/template_eval.hpp"

namespace flux::runtime::cache {

// What the status header says and what metrics and the access log record.
struct Phase {
  std::string_view header;  // status_header value
  std::string_view result;  // fluxheim_cache_requests_total{result}, access log `cache`
};
inline constexpr Phase kHit{"HIT", "hit"};
inline constexpr Phase kMiss{"MISS", "miss"};
inline constexpr Phase kBypass{"BYPASS", "bypass"};
inline constexpr Phase kExpired{"EXPIRED", "expired"};
inline constexpr Phase kStale{"STALE", "stale"};
inline constexpr Phase kUpdating{"UPDATING", "updating"};
inline constexpr std::string_view kNoStoreResult = "no_store";

// Where and under which rules a fetched response is stored. Owns what it needs, so a
// background refresh can keep it after the client's request has ended.
struct StoreTarget {
  std::shared_ptr<Zone> zone;
  const CachePolicy* policy = nullptr;  // lives in the generation's cache state
  std::string key;
  std::string host;
  std::string path;  // routing path
  bool authorization = false;
};

// Decides and stores. `headers` lose hide_response_headers when the response is stored (the
// caller sends the same headers to its client). Returns why it was not stored (kNone: stored,
// or refused only by a purge that ran meanwhile).
NoStore store(const StoreTarget& target, unsigned status, HeaderList& headers,
              const std::string& body, std::uint64_t epoch);

// A stored object as a response, with Age (RFC 9111 §5.1).
http::Response to_response(const StoredResponse& object, Clock::time_point now);

// Sets the status header (replacing one the origin sent).
void set_status_header(const CachePolicy& policy, Phase phase, http::Response& response);

struct CacheLayer::Request {
  Request(core::ActionContext& c, const Binding& b, Origin o)
      : ctx(c), policy(b.policy), origin(std::move(o)), exprs(c.generation, c.exchange.request()) {
    target.zone = b.zone;
    target.policy = &b.policy;
  }
  core::ActionContext& ctx;
  const CachePolicy& policy;
  Origin origin;
  core::RequestExpressions exprs;
  StoreTarget target;
  bool no_store = false;  // no_store_when held
  Phase phase = kMiss;
  std::shared_ptr<const StoredResponse> stale;  // served if the origin fails (stale_if_error)
};

}  // namespace flux::runtime::cache
