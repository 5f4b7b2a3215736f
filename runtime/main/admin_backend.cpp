#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/main/admin_backend.hpp"

#include <ctime>

#include "runtime/cache/cache_layer.hpp"
#include "runtime/main/control.hpp"
#include "runtime/snapshot/generation.hpp"
#include "runtime/supervisor/supervisor.hpp"

namespace flux::runtime::app {
namespace {

// RFC 3339 in UTC, e.g. 2024-05-01T12:00:00Z.
std::string rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

cache::PurgeRequest to_cache(const admin::Purge& p) {
  using Kind = cache::PurgeRequest::Kind;
  const Kind kind = p.kind == admin::Purge::Kind::kKey   ? Kind::kKey
                    : p.kind == admin::Purge::Kind::kUrl ? Kind::kUrl
                                                         : Kind::kPrefix;
  return {kind, p.key, p.host, p.path};
}

}  // namespace

admin::Backend admin_backend(Control& control, const GenerationHolder& generations,
                             const supervisor::Supervisor& pools, cache::CacheLayer& cache,
                             std::chrono::system_clock::time_point started_at) {
  admin::Backend b;
  b.status = [&generations, &pools, started = rfc3339(started_at)] {
    const auto gen = generations.current();
    admin::Status s;
    s.version = FLUX_VERSION;
    s.generation = gen->number;
    s.snapshot = gen->hash();
    s.started_at = started;
    for (const auto& pool : pools.pools()) {
      s.managed_pools.push_back({pool->spec().label, pool->up(), pool->restarts()});
    }
    return s;
  };
  b.reload = [&control] { return control.reload(); };
  b.purge = [&cache](const admin::Purge& p) {
    return static_cast<std::uint64_t>(cache.purge(to_cache(p)));
  };
  return b;
}

}  // namespace flux::runtime::app
