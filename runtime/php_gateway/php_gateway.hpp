#pragma once
// The PHP handler (php-behaviour.md §2): method, upgrade and script checks, the in-flight
// permit, the request body, FastCGI params, the exchange with retries, response parsing and
// shaping, interception and error pages, X-Accel-Redirect / X-Sendfile offload, STDERR logging
// and the PHP metrics. Also the factory of the per-generation PHP state.

#include "runtime/core/action.hpp"
#include "runtime/core/site_state.hpp"
#include "runtime/php_gateway/php_block.hpp"

namespace flux::runtime::php_gateway {

class PhpGateway final : public core::PhpAction, public core::ExtensionFactory {
 public:
  // `slot`: the index of this factory in the list given to SiteState::build.
  PhpGateway(std::size_t slot, metrics::Registry& metrics, ManagedSockets managed)
      : slot_(slot), metrics_(metrics), managed_(std::move(managed)) {}

  Result<std::unique_ptr<GenerationState>> build(const LoadedSnapshot& snapshot) override;
  boost::asio::awaitable<std::optional<http::Response>> handle(core::ActionContext& ctx,
                                                               const fxs::Php& php) override;

 private:
  struct Exchange {
    std::string_view outcome = "ok";
    std::shared_ptr<const php::Resolution> resolution;  // kExecute
  };
  boost::asio::awaitable<http::Response> run(core::ActionContext& ctx, const PhpBlock& block,
                                             Exchange& state);
  http::Response finish(core::ActionContext& ctx, const PhpBlock& block, Exchange& state,
                        fastcgi::ExchangeResult result);
  void log_stderr(core::ActionContext& ctx, const PhpBlock& block, const std::string& raw);
  http::Response error_response(core::ActionContext& ctx, const PhpBlock& block, unsigned status,
                                std::string body);
  void record(const PhpBlock& block, std::string_view outcome,
              std::chrono::steady_clock::time_point started);

  std::size_t slot_;
  metrics::Registry& metrics_;
  ManagedSockets managed_;
};

}  // namespace flux::runtime::php_gateway
