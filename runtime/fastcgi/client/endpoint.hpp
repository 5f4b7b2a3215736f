#pragma once
// A php-fpm endpoint: a unix socket path or a host:port (php-behaviour.md §8.2).

#include <cstdint>
#include <string>
#include <vector>

namespace flux::fxs {
struct Fpm;
}

namespace flux::runtime::fastcgi {

struct Endpoint {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string path;   // kUnix
  std::string host;   // kTcp: DNS name or IP literal (brackets removed)
  std::uint16_t port = 0;
  std::string label;  // "unix:/run/php.sock" or "host:port", for logs
};

// tcp_upstreams if non-empty, else [tcp], else [socket] (php-behaviour.md §8.2). Managed mode
// passes the private socket explicitly.
std::vector<Endpoint> endpoints_of(const fxs::Fpm& fpm);
Endpoint unix_endpoint(std::string path);

}  // namespace flux::runtime::fastcgi
