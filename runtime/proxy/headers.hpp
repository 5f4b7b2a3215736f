#pragma once
// Header rules of the reverse proxy (config-reference.md §7.3): hop-by-hop stripping in both
// directions (RFC 9110 §7.6.1), Host forwarding, the WebSocket handshake (RFC 6455 §4), and the
// upstream request head (RFC 9112 §3). Pure functions over strings; no sockets.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/core/request_policy.hpp"
#include "runtime/http/request.hpp"

namespace flux::runtime::proxy {

// The fixed hop-by-hop set of §7.3 (Connection, Keep-Alive, Proxy-Connection, TE, Trailer,
// Transfer-Encoding, Upgrade, Proxy-Authenticate, Proxy-Authorization).
bool is_hop_by_hop(std::string_view name);

// RFC 6455 §4.1/§4.2.1: a GET with `Upgrade: websocket` and `Connection: upgrade`.
bool is_websocket_handshake(const http::Request& req);

struct RequestHead {
  std::string_view method;
  std::string_view target;  // origin-form path and query
  std::string_view host;    // the Host value sent upstream
  std::optional<std::uint64_t> content_length;
  bool chunked = false;    // body re-framed with chunked coding (RFC 9112 §7.1)
  bool websocket = false;  // keep the handshake's Upgrade (config `websocket = true`)
};

// The request head sent upstream: `headers` (the client's, after the §4.1 policy) without
// hop-by-hop fields, Host, framing and Expect (100-continue is answered downstream), then our
// own Host and framing.
std::string build_request_head(const core::HeaderList& headers, const RequestHead& head);

// The upstream response headers passed downstream: without hop-by-hop fields and framing (the
// connection frames the body again), Date and Server (the connection writes its own, like
// nginx's default proxy_hide_header). A 101 keeps Upgrade and gets `Connection: upgrade`.
std::vector<std::pair<std::string, std::string>> response_headers(
    std::span<const http::Header> upstream, bool switching_protocols);

}  // namespace flux::runtime::proxy
