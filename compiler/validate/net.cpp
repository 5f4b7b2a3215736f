#include "compiler/validate/net.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace flux::compiler {
namespace {

std::optional<unsigned> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v == 0 || v > 65535) return std::nullopt;
  return v;
}

// Splits "host:port" / "[v6]:port" into host (brackets removed) and port.
std::optional<std::pair<std::string, unsigned>> split_host_port(std::string_view s,
                                                                bool* bracketed) {
  *bracketed = false;
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return std::nullopt;
    }
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
    *bracketed = true;
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon) return std::nullopt;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  const auto p = parse_port(port);
  if (!p || host.empty()) return std::nullopt;
  return std::make_pair(std::string(host), *p);
}

}  // namespace

std::optional<IpAddr> parse_ip(std::string_view s) {
  const std::string str(s);
  IpAddr ip;
  in_addr v4{};
  if (inet_pton(AF_INET, str.c_str(), &v4) == 1) {
    ip.v4 = true;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    std::memcpy(ip.bytes.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, str.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

std::optional<std::string> parse_socket_addr(std::string_view s, IpAddr* out) {
  bool bracketed = false;
  const auto hp = split_host_port(s, &bracketed);
  if (!hp) return std::nullopt;
  const auto ip = parse_ip(hp->first);
  if (!ip || ip->v4 == bracketed) return std::nullopt;  // IPv6 needs brackets, IPv4 none
  if (out != nullptr) *out = *ip;
  return std::string(s);
}

bool is_dns_name(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool is_host_port(std::string_view s, std::optional<IpAddr>* ip_literal) {
  bool bracketed = false;
  const auto hp = split_host_port(s, &bracketed);
  if (!hp) return false;
  const auto ip = parse_ip(hp->first);
  if (bracketed) {
    if (!ip || ip->v4) return false;
  } else if (!(ip && ip->v4) && !is_dns_name(hp->first)) {
    return false;
  }
  if (ip_literal != nullptr) *ip_literal = ip;
  return true;
}

bool is_ip_or_cidr(std::string_view s) {
  const auto slash = s.find('/');
  const auto ip = parse_ip(s.substr(0, slash));
  if (!ip) return false;
  if (slash == std::string_view::npos) return true;
  const std::string_view len = s.substr(slash + 1);
  if (len.empty() || len.size() > 3) return false;
  unsigned v = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v <= (ip->v4 ? 32u : 128u);
}

bool is_loopback(const IpAddr& ip) {
  if (ip.v4) return ip.bytes[12] == 127;
  for (std::size_t i = 0; i < 15; ++i) {
    if (ip.bytes[i] != 0) return false;
  }
  return ip.bytes[15] == 1;
}

bool is_unspecified_or_multicast(const IpAddr& ip) {
  if (ip.v4) {
    const auto* b = ip.bytes.data() + 12;
    const bool zero = b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    const bool broadcast = b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255;
    return zero || broadcast || (b[0] >= 224 && b[0] <= 239);
  }
  bool zero = true;
  for (auto b : ip.bytes) zero = zero && b == 0;
  return zero || ip.bytes[0] == 0xff;
}

bool is_private_or_link_local(const IpAddr& ip) {
  if (is_loopback(ip)) return true;
  if (ip.v4) {
    const auto* b = ip.bytes.data() + 12;
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254);
  }
  return (ip.bytes[0] & 0xfe) == 0xfc || (ip.bytes[0] == 0xfe && (ip.bytes[1] & 0xc0) == 0x80);
}

}  // namespace flux::compiler
