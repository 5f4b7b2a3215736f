#pragma once
// Host and route selection straight from the snapshot tables (config-reference.md §7, §7.4).
// Pure: no sockets, no allocation beyond the decoded path.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <span>

#include "runtime/http/request.hpp"
#include "snapshot/regex/matcher.hpp"

namespace flux::fxs {
struct Snapshot;
struct Vhost;
struct Route;
}  // namespace flux::fxs

namespace flux::runtime::http {

enum class HostDecision {
  kVhost,      // `vhost` is the index of the chosen [[vhosts]] entry
  kFallback,   // the root-level [web]/[proxy]/[cache] handlers
  kBadRequest, // strict mode and no usable Host
  kMisdirected // 421: no vhost claims the host (or TLS is disabled for it on a TLS listener)
};

struct HostMatch {
  HostDecision decision = HostDecision::kMisdirected;
  std::int32_t vhost = -1;
};

HostMatch select_host(const fxs::Snapshot& snapshot, const Request& req);

// Evaluates a route's `when` predicate for the current request (runtime/expr).
using WhenEvaluator = std::function<bool(const fxs::Route&)>;

struct RouteMatch {
  std::int32_t route = -1;  // index into vhost.routes, or -1 for the vhost handlers
  // Regex captures are re-derived by the caller when needed (rewrite_template, when).
};

// `routing_path` is the request path with unreserved escapes decoded (decode_unreserved).
// `regexes` are the loaded matchers of Routing.regexes (built once per generation).
RouteMatch select_route(std::span<const snapshot::regex::Matcher> regexes,
                        const fxs::Vhost& vhost, std::string_view method,
                        std::string_view routing_path, const WhenEvaluator& when);

// Applies strip_prefix / rewrite_prefix to a raw path (config-reference.md §7.4). The result
// keeps a leading '/'.
std::string rewrite_path(const fxs::Route& route, std::string_view raw_path);

}  // namespace flux::runtime::http
