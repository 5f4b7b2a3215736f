#pragma once
// The reverse-proxy handler (config-reference.md §7.3): request-header policy (§4.1), target
// and Host, the exchange with the upstreams (upstream_io), gateway errors and error pages,
// metrics. Also the factory of the per-generation proxy state (pools per upstream).

#include "runtime/core/action.hpp"
#include "runtime/core/site_state.hpp"

namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::proxy {

class ProxyHandler final : public core::ProxyAction, public core::ExtensionFactory {
 public:
  // `slot`: the index of this factory in the list given to SiteState::build.
  ProxyHandler(std::size_t slot, metrics::Registry& metrics) : slot_(slot), metrics_(metrics) {}

  Result<std::unique_ptr<GenerationState>> build(const LoadedSnapshot& snapshot) override;
  boost::asio::awaitable<std::optional<http::Response>> handle(core::ActionContext& ctx,
                                                               const fxs::Proxy& proxy) override;

 private:
  std::size_t slot_;
  metrics::Registry& metrics_;
};

}  // namespace flux::runtime::proxy
