#pragma once
// What the dispatcher learns about a request while handling it, for the access log and metrics.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace flux::runtime::core {

enum class HandlerKind { kStatic, kPhp, kProxy, kRedirect, kGenerated };

std::string_view handler_label(HandlerKind kind);

struct RequestContext {
  std::chrono::steady_clock::time_point started;
  std::string request_id;
  std::string_view vhost;   // name, or "" for the root-level fallback / no vhost
  std::string_view route;   // name, or ""
  HandlerKind handler = HandlerKind::kGenerated;
  std::string upstream;     // proxy target or php-fpm endpoint index
  std::string_view cache;   // cache phase (hit/miss/bypass/...), "" when no cache
  // The action's outcome label (php-behaviour.md §8.5, or the proxy's), "" when the action
  // produced none; the cache decides storage and stale-if-error from it.
  std::string_view outcome;
  unsigned status = 0;
  std::uint64_t body_bytes = 0;
};

}  // namespace flux::runtime::core
