#include "runtime/php/host.hpp"

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// Splits at the port colon: after ']' for an IPv6 literal, else the only ':' there is.
std::size_t port_colon(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos || close + 1 >= host.size()) return std::string_view::npos;
    return host[close + 1] == ':' ? close + 1 : std::string_view::npos;
  }
  const std::size_t colon = host.find(':');
  if (colon == std::string_view::npos || host.find(':', colon + 1) != std::string_view::npos) {
    return std::string_view::npos;
  }
  return colon;
}

}  // namespace

bool is_param_safe(std::string_view value) {
  return value.size() <= kMaxParamValueBytes && !contains_ctl(value);
}

std::string_view host_value(const RequestView& req) {
  for (const HeaderView& h : req.headers) {
    if (!iequals(h.name, "host")) continue;
    const std::string_view v = trim_ows(h.value);
    if (!v.empty()) return v;
  }
  if (!req.authority.empty()) return req.authority;
  return req.vhost_name;
}

std::string_view strip_port(std::string_view host) {
  const std::size_t colon = port_colon(host);
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

std::optional<std::uint16_t> explicit_port(std::string_view host) {
  const std::size_t colon = port_colon(host);
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view digits = host.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  std::uint32_t port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

}  // namespace flux::runtime::php
