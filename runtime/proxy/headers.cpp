#include "runtime/proxy/headers.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>

namespace flux::runtime::proxy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Comma-separated list elements (RFC 9110 §5.6.1), trimmed, empty ones skipped.
template <typename Fn>
void for_each_element(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

std::string_view name_of(const std::pair<std::string, std::string>& h) { return h.first; }
std::string_view value_of(const std::pair<std::string, std::string>& h) { return h.second; }
std::string_view name_of(const http::Header& h) { return h.name; }
std::string_view value_of(const http::Header& h) { return h.value; }

// Field names listed in the Connection headers (RFC 9110 §7.6.1): views into the values,
// compared case-insensitively; a message rarely names more than a few.
using TokenList = boost::container::small_vector<std::string_view, 8>;

template <typename Headers>
TokenList connection_tokens(const Headers& headers) {
  TokenList out;
  for (const auto& h : headers) {
    if (!http::iequals(name_of(h), "connection")) continue;
    for_each_element(value_of(h), [&](std::string_view item) { out.push_back(item); });
  }
  return out;
}

bool listed(const TokenList& tokens, std::string_view name) {
  return std::any_of(tokens.begin(), tokens.end(),
                     [&](std::string_view t) { return http::iequals(t, name); });
}

bool has_token(std::string_view value, std::string_view token) {
  bool found = false;
  for_each_element(value,
                   [&](std::string_view item) { found = found || http::iequals(item, token); });
  return found;
}

}  // namespace

bool is_hop_by_hop(std::string_view name) {
  // RFC 9110 §7.6.1 hop-by-hop fields (plus Proxy-Connection and the proxy auth fields). The
  // length picks at most two candidates before any byte is compared.
  switch (name.size()) {
    case 2: return http::iequals(name, "te");
    case 7: return http::iequals(name, "trailer") || http::iequals(name, "upgrade");
    case 10: return http::iequals(name, "connection") || http::iequals(name, "keep-alive");
    case 16: return http::iequals(name, "proxy-connection");
    case 17: return http::iequals(name, "transfer-encoding");
    case 18: return http::iequals(name, "proxy-authenticate");
    case 19: return http::iequals(name, "proxy-authorization");
    default: return false;
  }
}

bool is_websocket_handshake(const http::Request& req) {
  if (req.method != "GET" || req.version != 11) return false;
  bool upgrade = false;
  bool connection = false;
  for (const auto& h : req.headers) {
    if (http::iequals(h.name, "upgrade")) upgrade = upgrade || has_token(h.value, "websocket");
    if (http::iequals(h.name, "connection"))
      connection = connection || has_token(h.value, "upgrade");
  }
  return upgrade && connection;
}

std::string build_request_head(const core::HeaderList& headers, const RequestHead& head) {
  const TokenList named = connection_tokens(headers);
  std::string out;
  out.reserve(512);
  out.append(head.method).append(" ").append(head.target).append(" HTTP/1.1\r\nHost: ");
  out.append(head.host).append("\r\n");
  for (const auto& [name, value] : headers) {
    if (is_hop_by_hop(name) || listed(named, name) || http::iequals(name, "host") ||
        http::iequals(name, "content-length") || http::iequals(name, "expect")) {
      continue;
    }
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (head.websocket) out.append("Connection: Upgrade\r\nUpgrade: websocket\r\n");
  if (head.chunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  } else if (head.content_length) {
    out.append("Content-Length: ").append(std::to_string(*head.content_length)).append("\r\n");
  }
  out.append("\r\n");
  return out;
}

std::vector<std::pair<std::string, std::string>> response_headers(
    std::span<const http::Header> upstream, bool switching_protocols) {
  const TokenList named = connection_tokens(upstream);
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(upstream.size() + 1);
  for (const auto& [name, value] : upstream) {
    const bool keep_upgrade = switching_protocols && http::iequals(name, "upgrade");
    if (!keep_upgrade && (is_hop_by_hop(name) || listed(named, name))) continue;
    if (http::iequals(name, "content-length") || http::iequals(name, "date") ||
        http::iequals(name, "server")) {
      continue;
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  if (switching_protocols) out.emplace_back("Connection", "upgrade");
  return out;
}

}  // namespace flux::runtime::proxy
