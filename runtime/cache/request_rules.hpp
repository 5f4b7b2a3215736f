#pragma once
// The request side of the cache policy (config-reference.md §10, php-behaviour.md §12): which
// requests bypass the cache, and the cache key. Pure functions over the policy and the request
// variables of runtime/expr, so they are unit-tested without sockets. The compiled predicates
// (`bypass_when`, `no_store_when`) and `key_template` are evaluated by the caller, which owns
// the per-request expression state.

#include <optional>
#include <string>
#include <string_view>

#include "runtime/cache/policy.hpp"
#include "runtime/expr/request_vars.hpp"

namespace flux::runtime::cache {

enum class Bypass { kNone, kMethod, kUpgrade, kPath, kHeader, kCookie, kQuery, kPredicate };

struct RequestFacts {
  std::string_view method;
  std::string_view host;          // normalized: lowercase, no port
  std::string_view routing_path;  // raw path with unreserved escapes decoded (§7.4)
  std::string_view query;         // raw, without '?'
  bool has_query = false;
};

// The list rules of §10 in a fixed order: methods, paths, request headers, cookies, query.
// `bypass_when` (kPredicate) is the caller's: it is a compiled predicate. A protocol switch
// (`Upgrade`, e.g. a WebSocket handshake) always bypasses: there is nothing to store, and a
// tunnel must not hold the key's coalescing lock for its whole life.
Bypass bypass_reason(const CachePolicy& policy, const RequestFacts& request,
                     const expr::RequestVars& vars);

// `allow_client_cache_refresh`: a request `Cache-Control: no-cache` (RFC 9111 §5.2.1.4) or,
// for HTTP/1.0 clients, `Pragma: no-cache` (§5.4) skips the lookup but may store.
bool client_wants_refresh(const CachePolicy& policy, const expr::RequestVars& vars);

// The method the key is built for: HEAD is answered from the GET entry, so its key is GET's.
std::string_view key_method(std::string_view method);

// The key: `[namespace ]` then either the expanded key_template or the key_parts in the fixed
// order method, host, path, query (`GET example.com/p?q`), then ` name=value` for each
// vary_request_headers entry (` name` when the header is absent). The URL part never contains
// a space (request targets cannot), and vary values are escaped (%, space, CTL), so two
// different requests can never produce the same key.
std::string build_key(const CachePolicy& policy, const RequestFacts& request,
                      const std::optional<std::string>& template_body,
                      const expr::RequestVars& vars);

}  // namespace flux::runtime::cache
