#pragma once
// The response side of the cache policy (config-reference.md §10, php-behaviour.md §12):
// whether a response may be stored and for how long, what is hidden from the stored copy, and
// which origin results count as errors for stale_if_error. Pure functions.

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/cache/policy.hpp"

namespace flux::runtime::cache {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

enum class NoStore {
  kNone,            // storable
  kStatus,          // not in status_ttls, and no default_status_ttl_secs for it
  kSetCookie,       // never stored (§10, even with ignore_origin_cache_headers)
  kAuthorization,   // request had Authorization; response is neither public nor s-maxage
  kResponseHeader,  // carries one of no_store_response_headers
  kOriginPolicy,    // Cache-Control no-store/private/no-cache, Pragma: no-cache, Vary: *
  kVary,            // Vary names a request header the key does not include
  kZeroTtl,         // the effective TTL is 0 (max-age=0, an Expires in the past)
  kTooLarge,        // over max_object_bytes
};

std::string_view no_store_label(NoStore reason);

struct ResponseFacts {
  unsigned status = 200;
  const HeaderList* headers = nullptr;
  std::uint64_t size = 0;  // body plus header bytes, as the store accounts them
  bool request_has_authorization = false;
  std::time_t now = 0;  // for Expires (RFC 9111 §5.3)
};

struct StoreDecision {
  NoStore reason = NoStore::kNone;
  std::uint32_t ttl_secs = 0;
  bool storable() const { return reason == NoStore::kNone; }
};

// The status table gives the TTL (status_ttls, else default_status_ttl_secs for the statuses of
// RFC 9110 §15.1 that are heuristically cacheable); unless ignore_origin_cache_headers, the
// origin may forbid storage, and s-maxage > max-age > Expires override the table TTL
// (RFC 9111 §4.2.1: a shared cache prefers s-maxage).
StoreDecision storage_decision(const CachePolicy& policy, const ResponseFacts& response);

// The head-only part of storage_decision (everything but the size), for streamed responses
// whose length is known only at the end.
StoreDecision head_decision(const CachePolicy& policy, const ResponseFacts& response);

// Removes hide_response_headers (stored copies and the response that was stored alike, so a
// HIT looks like the MISS that filled it).
void hide_headers(const CachePolicy& policy, HeaderList& headers);

// Bytes the store accounts for a response: body, header names and values, the key.
std::uint64_t object_size(std::string_view key, const HeaderList& headers, std::uint64_t body);

// php-behaviour.md §12: the origin failed in a way stale_if_error covers. `outcome` is the
// action's outcome label (PHP §8.5, or the proxy's); `status` the status it answered with.
bool is_origin_error(const CachePolicy& policy, std::string_view outcome, unsigned status);

// Only a response the origin really produced may be stored: generated gateway errors, error
// pages, offloaded files and declined requests never are.
bool is_origin_response(std::string_view outcome);

}  // namespace flux::runtime::cache
