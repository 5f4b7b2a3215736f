#pragma once
// The HTTP cache in front of the PHP and proxy actions (config-reference.md §10,
// php-behaviour.md §12): bypass rules, key, lookup, request coalescing, origin fetch and
// storage, stale_while_revalidate background refreshes, stale_if_error, the status header,
// metrics and the access-log phase. Also the factory of the per-generation cache state (one
// compiled policy and zone per [cache] table).

#include <memory>

#include "runtime/cache/policy.hpp"
#include "runtime/cache/zones.hpp"
#include "runtime/core/action.hpp"
#include "runtime/core/site_state.hpp"

namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::cache {

struct Phase;

// A [cache] table of the running generation: its policy and its zone.
struct Binding {
  CachePolicy policy;
  std::shared_ptr<Zone> zone;
};

class CacheLayer final : public core::CacheAction, public core::ExtensionFactory {
 public:
  // `slot`: the index of this factory in the list given to SiteState::build.
  CacheLayer(std::size_t slot, metrics::Registry& metrics)
      : slot_(slot), metrics_(metrics), zones_(metrics) {}

  Result<std::unique_ptr<GenerationState>> build(const LoadedSnapshot& snapshot) override;
  boost::asio::awaitable<std::optional<http::Response>> serve(core::ActionContext& ctx,
                                                              const fxs::Cache& cache,
                                                              Origin origin) override;

  // Admin purge (cli.md §6.3); safe from any thread.
  std::size_t purge(const PurgeRequest& request) { return zones_.purge(request); }

 private:
  struct Request;
  boost::asio::awaitable<std::optional<http::Response>> lookup_and_fetch(Request& r);
  http::Response answer_stored(Request& r, Phase phase, const StoredResponse& object);
  boost::asio::awaitable<std::optional<http::Response>> fetch(Request& r, bool store);
  void refresh_in_background(Request& r, std::uint64_t token);
  void count(core::ActionContext& ctx, std::string_view result);

  std::size_t slot_;
  metrics::Registry& metrics_;
  ZoneSet zones_;
};

}  // namespace flux::runtime::cache
