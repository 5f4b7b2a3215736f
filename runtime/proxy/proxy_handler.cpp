#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/proxy/proxy_handler.hpp"

#include "runtime/core/error_pages.hpp"

#include "runtime/core/header_policy.hpp"
#include "runtime/core/request_policy.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/proxy/headers.hpp"
#include "runtime/proxy/proxy_block.hpp"
#include "runtime/proxy/upstream_io.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::proxy {
namespace {

namespace asio = boost::asio;

std::string_view gateway_text(Outcome o) {
  switch (o) {
    case Outcome::kConnectError:
      return "upstream unavailable\n";
    case Outcome::kTimeout:
      return "upstream timed out\n";
    case Outcome::kInvalidResponse:
      return "invalid upstream response\n";
    case Outcome::kUpstreamClosed:
      return "upstream closed the connection\n";
    default:
      return "bad gateway\n";
  }
}

const fxs::RequestHeaders* request_policy(const core::ActionContext& ctx) {
  const fxs::Headers* h = ctx.route && ctx.route->headers() ? ctx.route->headers()
                          : ctx.vhost                       ? ctx.vhost->headers()
                                                            : ctx.generation.config().headers();
  return h != nullptr ? h->request() : nullptr;
}

ForwardRequest forward_request(const core::ActionContext& ctx, const ProxyBlock& block) {
  const http::Request& req = ctx.exchange.request();
  const bool trusted = core::site_of(ctx.generation).trusted_proxies().contains(req.peer.ip);
  ForwardRequest fr;
  fr.headers = core::apply_request_policy(request_policy(ctx), req, trusted, ctx.expand);
  fr.target = ctx.path.empty() ? "/" : ctx.path;
  if (req.has_query) fr.target.append("?").append(req.query);
  // §7.3: the client's Host goes upstream unchanged unless upstream_host overrides it.
  fr.host = block.config->upstream_host() ? block.config->upstream_host()->str()
                                          : std::string(req.host_raw);
  fr.websocket = block.websocket && is_websocket_handshake(req);
  return fr;
}

}  // namespace

Result<std::unique_ptr<GenerationState>> ProxyHandler::build(const LoadedSnapshot& snapshot) {
  auto state = ProxyState::build(*snapshot.root().config(), metrics_);
  if (!state) return state.error();
  return std::unique_ptr<GenerationState>(std::move(state.value()));
}

asio::awaitable<std::optional<http::Response>> ProxyHandler::handle(core::ActionContext& ctx,
                                                                    const fxs::Proxy& proxy) {
  const auto* state =
      static_cast<const ProxyState*>(core::site_of(ctx.generation).extension(slot_));
  const ProxyBlock* block = state != nullptr ? state->find(&proxy) : nullptr;
  if (block == nullptr || block->upstreams.empty())
    co_return http::plain_text(502, "bad gateway\n");
  ctx.exchange.set_client_timeouts(block->client_read_timeout, block->client_write_timeout);
  const ForwardRequest request = forward_request(ctx, *block);
  ForwardResult result = co_await forward(ctx, *block, request);
  const Upstream& up = block->upstreams[result.upstream];
  up.requests[static_cast<std::size_t>(result.outcome)]->inc();
  ctx.rc.outcome = outcome_label(result.outcome);  // the cache stores only "ok" responses
  if (result.response) co_return std::move(*result.response);
  if (result.status == 0) co_return std::nullopt;
  if (result.outcome == Outcome::kIntercepted) {
    auto page = core::serve_error_page(ctx, proxy.error_pages(), static_cast<std::uint16_t>(result.status));
    co_return page ? std::move(*page) : http::generated_error(result.status);
  }
  if (result.outcome == Outcome::kClientClosed) co_return http::generated_error(result.status);
  log::logger().log(log::Level::kWarn, "proxy request failed",
                    {{"vhost", block->vhost},
                     {"scope", block->scope},
                     {"upstream", up.label},
                     {"outcome", outcome_label(result.outcome)},
                     {"status", result.status}});
  if (auto page = core::serve_error_page(ctx, proxy.error_pages(), static_cast<std::uint16_t>(result.status))) co_return std::move(*page);
  co_return http::plain_text(result.status, std::string(gateway_text(result.outcome)));
}

}  // namespace flux::runtime::proxy
