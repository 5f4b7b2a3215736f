#pragma once
// What the PHP path needs to know about a downstream request: a plain view that the HTTP layer
// fills in (no Beast type crosses this boundary). Views point into the caller's request and
// must outlive the call they are passed to.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace flux::runtime::php {

struct HeaderView {
  std::string_view name;
  std::string_view value;
};

struct RequestView {
  std::string_view method;       // as received, e.g. "GET"
  std::string_view request_uri;  // origin-form target as received (absolute-form: path+query)
  std::string_view path;         // raw path, no query
  std::string_view query;        // raw query without '?', "" when none
  std::string_view protocol;     // "HTTP/1.0" or "HTTP/1.1"
  std::string_view authority;    // absolute-form authority, "" for origin-form
  std::span<const HeaderView> headers;  // in arrival order, after the request-header policy
  bool tls = false;
  std::string_view remote_addr;  // effective client IP after trusted proxies, "" if unknown
  std::optional<std::uint16_t> remote_port;
  std::string_view local_addr;  // local IP of the accepting socket, "" if unknown
  std::string_view vhost_name;
  std::uint64_t body_length = 0;  // bytes sent on STDIN (0 with pass_request_body = false)
};

}  // namespace flux::runtime::php
