#include "runtime/fastcgi/client/endpoint.hpp"

#include "snapshot/fxs_generated.h"

namespace flux::runtime::fastcgi {
namespace {

Endpoint tcp_endpoint(const std::string& authority) {
  Endpoint e;
  e.kind = Endpoint::Kind::kTcp;
  e.label = authority;
  const auto colon = authority.rfind(':');
  std::string host = authority.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  e.host = host;
  e.port = static_cast<std::uint16_t>(std::stoul(authority.substr(colon + 1)));
  return e;
}

}  // namespace

Endpoint unix_endpoint(std::string path) {
  Endpoint e;
  e.kind = Endpoint::Kind::kUnix;
  e.label = "unix:" + path;
  e.path = std::move(path);
  return e;
}

std::vector<Endpoint> endpoints_of(const fxs::Fpm& fpm) {
  std::vector<Endpoint> out;
  if (fpm.tcp_upstreams() != nullptr && fpm.tcp_upstreams()->size() != 0) {
    for (const auto* u : *fpm.tcp_upstreams()) out.push_back(tcp_endpoint(u->str()));
  } else if (fpm.tcp() != nullptr && fpm.tcp()->size() != 0) {
    out.push_back(tcp_endpoint(fpm.tcp()->str()));
  } else if (fpm.socket() != nullptr && fpm.socket()->size() != 0) {
    out.push_back(unix_endpoint(fpm.socket()->str()));
  }
  return out;
}

}  // namespace flux::runtime::fastcgi
