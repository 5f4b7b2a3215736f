#pragma once
// Address syntax of config-reference.md §0.2: socket-addr, host:port, IP literals and CIDRs.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flux::compiler {

struct IpAddr {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
  bool v4 = false;
};

std::optional<IpAddr> parse_ip(std::string_view s);
// "ip:port" or "[ipv6]:port", port 1..=65535. Returns the canonical text.
std::optional<std::string> parse_socket_addr(std::string_view s, IpAddr* ip = nullptr);
// "host:port" with a DNS name, IPv4 literal or [IPv6]; port 1..=65535.
bool is_host_port(std::string_view s, std::optional<IpAddr>* ip_literal = nullptr);
// "ip" or "ip/prefix".
bool is_ip_or_cidr(std::string_view s);
bool is_dns_name(std::string_view s);

bool is_loopback(const IpAddr& ip);
bool is_unspecified_or_multicast(const IpAddr& ip);  // incl. IPv4 broadcast
bool is_private_or_link_local(const IpAddr& ip);     // loopback, RFC 1918, link-local, fc00::/7

}  // namespace flux::compiler
