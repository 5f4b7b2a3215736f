#pragma once
// One proxied exchange against the upstreams of a block (config-reference.md §7.3): pick an
// upstream round-robin, fail over on connect errors and connect timeouts (at most one attempt
// per upstream, never once a request byte was sent), send the head and stream the request body,
// read the response head, then stream the response body to the client or tunnel an accepted
// WebSocket handshake. Beast and the upstream sockets stay inside upstream_io.cpp.

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "runtime/core/action.hpp"
#include "runtime/proxy/headers.hpp"
#include "runtime/proxy/proxy_block.hpp"

namespace flux::runtime::proxy {

struct ForwardRequest {
  core::HeaderList headers;  // the client's, after the §4.1 request policy
  std::string target;        // origin-form path and query
  std::string host;          // Host sent upstream; "" = the upstream's own host:port
  bool websocket = false;    // an allowed WebSocket handshake
};

struct ForwardResult {
  Outcome outcome = Outcome::kOk;
  std::size_t upstream = 0;  // the upstream that answered, or the last one tried
  // 0: the response was streamed to the client. Otherwise the status to answer with: the
  // upstream's for kIntercepted, else a gateway or client error (502, 504, 400, 408, 413).
  unsigned status = 0;
  // A small response read completely (Content-Length within one buffer): sent by the caller
  // with its head in one write.
  std::optional<http::Response> response;
};

boost::asio::awaitable<ForwardResult> forward(core::ActionContext& ctx, const ProxyBlock& block,
                                              const ForwardRequest& request);

}  // namespace flux::runtime::proxy
