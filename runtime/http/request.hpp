#pragma once
// The socket-free view of one parsed request that handlers see. Everything points into the
// connection's parser storage and is valid until the response has been written.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flux::runtime::http {

struct Header {
  std::string_view name;
  std::string_view value;
};

struct Endpoint {
  std::string ip;  // textual, IPv4-mapped IPv6 written as IPv4; "" when unknown
  std::uint16_t port = 0;
};

// ASCII case-insensitive equality (header names, tokens). Inline: it runs for every header
// of every request, often against several names.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const unsigned char x = static_cast<unsigned char>(a[i]);
    const unsigned char y = static_cast<unsigned char>(b[i]);
    if (x != y && (x | 0x20) != (y | 0x20)) return false;
    if (x != y && ((x | 0x20) < 'a' || (x | 0x20) > 'z')) return false;
  }
  return true;
}

struct Request {
  std::string_view method;
  std::string_view target;   // raw request target as received
  std::string_view path;     // raw path part of the target (absolute-form: its path, or "/")
  std::string_view query;    // raw query without '?', "" when none
  bool has_query = false;
  bool absolute_form = false;
  unsigned version = 11;     // 10 or 11
  std::vector<Header> headers;  // arrival order
  std::string_view host_raw;    // Host header (or absolute-form authority) as received
  std::string host;             // normalized: lowercase, no port, no trailing dot
  bool tls = false;
  Endpoint peer;                // the TCP peer
  Endpoint client;              // after trusted_proxies processing
  Endpoint local;
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  bool keep_alive = true;       // what the client asked for

  bool has_body() const { return chunked || (content_length && *content_length > 0); }
  // First header with this name (case-insensitive), or nullptr.
  const Header* find(std::string_view name) const;
};

}  // namespace flux::runtime::http
