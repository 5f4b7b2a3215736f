#include "runtime/cache/response_rules.hpp"

#include <algorithm>

#include "runtime/cache/cache_control.hpp"
#include "runtime/http/http_date.hpp"
#include "runtime/http/request.hpp"

namespace flux::runtime::cache {
namespace {

// §10 default_status_ttl_secs: the statuses RFC 9110 §15.1 calls heuristically cacheable
// (without 405, 414, 501, which PHP front controllers use for transient errors).
constexpr unsigned kDefaultCacheable[] = {200, 203, 204, 206, 300, 301, 308, 404, 410};

// Per-object bookkeeping of the LRU (list node, map entry, shared object) counted into the
// memory bound, so many tiny objects cannot exceed it.
constexpr std::uint64_t kObjectOverhead = 256;

struct Origin {
  CacheControl cc;
  bool pragma_no_cache = false;
  bool vary_star = false;
  bool vary_unkeyed = false;
  bool set_cookie = false;
  bool no_store_header = false;
  std::optional<std::string_view> expires;
};

Origin scan(const CachePolicy& policy, const HeaderList& headers) {
  Origin o;
  for (const auto& [name, value] : headers) {
    if (http::iequals(name, "cache-control")) {
      parse_cache_control(value, o.cc);
    } else if (http::iequals(name, "pragma")) {
      o.pragma_no_cache = o.pragma_no_cache || list_has_token(value, "no-cache");
    } else if (http::iequals(name, "vary")) {
      for_each_list_element(value, [&](std::string_view v) {
        if (v == "*") {
          o.vary_star = true;
          return;
        }
        const bool keyed =
            std::any_of(policy.vary_request_headers.begin(), policy.vary_request_headers.end(),
                        [&](const std::string& h) { return http::iequals(h, v); });
        o.vary_unkeyed = o.vary_unkeyed || !keyed;
      });
    } else if (http::iequals(name, "set-cookie")) {
      o.set_cookie = true;
    } else if (http::iequals(name, "expires")) {
      if (!o.expires) o.expires = value;
    }
    for (const auto& h : policy.no_store_response_headers) {
      o.no_store_header = o.no_store_header || http::iequals(h, name);
    }
  }
  return o;
}

std::optional<std::uint32_t> table_ttl(const CachePolicy& p, unsigned status) {
  const auto it = std::lower_bound(p.status_ttls.begin(), p.status_ttls.end(),
                                   std::pair<unsigned, std::uint32_t>(status, 0));
  if (it != p.status_ttls.end() && it->first == status) return it->second;
  if (p.default_status_ttl && std::find(std::begin(kDefaultCacheable), std::end(kDefaultCacheable),
                                        status) != std::end(kDefaultCacheable)) {
    return p.default_status_ttl;
  }
  return std::nullopt;
}

std::uint32_t clamp_ttl(std::uint64_t secs) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(secs, UINT32_MAX));
}

// RFC 9111 §5.3: an Expires that does not parse means "already expired".
std::uint32_t expires_ttl(std::string_view value, std::time_t now) {
  const auto at = http::parse_http_date(value);
  if (!at || *at <= now) return 0;
  return clamp_ttl(static_cast<std::uint64_t>(*at - now));
}

}  // namespace

std::string_view no_store_label(NoStore reason) {
  switch (reason) {
    case NoStore::kNone:
      return "none";
    case NoStore::kStatus:
      return "status";
    case NoStore::kSetCookie:
      return "set_cookie";
    case NoStore::kAuthorization:
      return "authorization";
    case NoStore::kResponseHeader:
      return "response_header";
    case NoStore::kOriginPolicy:
      return "origin_policy";
    case NoStore::kVary:
      return "vary";
    case NoStore::kZeroTtl:
      return "zero_ttl";
    case NoStore::kTooLarge:
      return "too_large";
  }
  return "none";
}

StoreDecision head_decision(const CachePolicy& policy, const ResponseFacts& r) {
  const auto ttl = table_ttl(policy, r.status);
  if (!ttl) return {NoStore::kStatus};
  const Origin o = scan(policy, *r.headers);
  if (o.set_cookie) return {NoStore::kSetCookie};
  // RFC 9111 §3.5: a shared cache stores responses to authorized requests only when the
  // origin explicitly allows it.
  if (r.request_has_authorization && !o.cc.is_public && !o.cc.s_maxage) {
    return {NoStore::kAuthorization};
  }
  if (o.no_store_header) return {NoStore::kResponseHeader};
  StoreDecision d{NoStore::kNone, *ttl};
  if (!policy.ignore_origin_cache_headers) {
    if (o.cc.no_store || o.cc.no_cache || o.cc.is_private || o.pragma_no_cache || o.vary_star) {
      return {NoStore::kOriginPolicy};
    }
    // Serving a variant the key does not distinguish would hand one client's representation
    // (e.g. gzip) to another: such responses need the header in vary_request_headers.
    if (o.vary_unkeyed) return {NoStore::kVary};
    if (o.cc.s_maxage) {
      d.ttl_secs = clamp_ttl(*o.cc.s_maxage);
    } else if (o.cc.max_age) {
      d.ttl_secs = clamp_ttl(*o.cc.max_age);
    } else if (o.expires) {
      d.ttl_secs = expires_ttl(*o.expires, r.now);
    }
  }
  if (d.ttl_secs == 0) return {NoStore::kZeroTtl};
  return d;
}

StoreDecision storage_decision(const CachePolicy& policy, const ResponseFacts& r) {
  const StoreDecision d = head_decision(policy, r);
  if (!d.storable()) return d;
  if (r.size > policy.max_object_bytes) return {NoStore::kTooLarge};
  return d;
}

void hide_headers(const CachePolicy& policy, HeaderList& headers) {
  if (policy.hide_response_headers.empty()) return;
  std::erase_if(headers, [&](const auto& h) {
    return std::any_of(policy.hide_response_headers.begin(), policy.hide_response_headers.end(),
                       [&](const std::string& hidden) { return http::iequals(hidden, h.first); });
  });
}

std::uint64_t object_size(std::string_view key, const HeaderList& headers, std::uint64_t body) {
  std::uint64_t n = kObjectOverhead + key.size() + body;
  for (const auto& [name, value] : headers) n += name.size() + value.size() + 4;
  return n;
}

bool is_origin_error(const CachePolicy& policy, std::string_view outcome, unsigned status) {
  static constexpr std::string_view kErrors[] = {
      // PHP (php-behaviour.md §8.5, §12)
      "connect_timeout", "request_timeout", "connection_error", "invalid_response", "fpm_error",
      "busy",
      // proxy (fluxheim_proxy_upstream_requests_total outcomes)
      "connect_error", "timeout", "upstream_closed"};
  if (std::find(std::begin(kErrors), std::end(kErrors), outcome) != std::end(kErrors)) return true;
  return std::find(policy.stale_if_error_statuses.begin(), policy.stale_if_error_statuses.end(),
                   status) != policy.stale_if_error_statuses.end();
}

bool is_origin_response(std::string_view outcome) { return outcome == "ok"; }

}  // namespace flux::runtime::cache
