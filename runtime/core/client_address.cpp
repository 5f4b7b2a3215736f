#include "runtime/core/client_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace flux::runtime::core {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool in_cidr(const std::array<std::uint8_t, 16>& ip, const Cidr& c) {
  const unsigned full = c.prefix / 8;
  if (std::memcmp(ip.data(), c.addr.data(), full) != 0) return false;
  const unsigned rest = c.prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (ip[full] & mask) == (c.addr[full] & mask);
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text) {
  std::string s(trim(text));
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  Cidr c;
  c.addr = *ip;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  if (slash == std::string_view::npos) return c;
  unsigned prefix = 0;
  for (char ch : text.substr(slash + 1)) {
    if (ch < '0' || ch > '9') return std::nullopt;
    prefix = prefix * 10 + static_cast<unsigned>(ch - '0');
    if (prefix > 128) return std::nullopt;
  }
  if (v4) prefix += 96;
  if (prefix > 128) return std::nullopt;
  c.prefix = static_cast<std::uint8_t>(prefix);
  return c;
}

bool TrustedProxies::contains(std::string_view ip) const {
  if (cidrs_.empty()) return false;
  const auto parsed = parse_ip(ip);
  if (!parsed) return false;
  for (const Cidr& c : cidrs_) {
    if (in_cidr(*parsed, c)) return true;
  }
  return false;
}

http::Endpoint effective_client(const http::Request& req, const TrustedProxies& trusted) {
  if (!trusted.contains(req.peer.ip)) return req.peer;
  // Merge every X-Forwarded-For line in arrival order, then walk from the right.
  std::vector<std::string_view> hops;
  for (const auto& h : req.headers) {
    if (!http::iequals(h.name, "x-forwarded-for")) continue;
    std::string_view v = h.value;
    while (!v.empty()) {
      const auto comma = v.find(',');
      hops.push_back(trim(v.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!parse_ip(*it)) break;  // garbage: stop at the last hop we could verify
    if (!trusted.contains(*it) || it + 1 == hops.rend()) {
      return http::Endpoint{std::string(*it), 0};
    }
  }
  if (const http::Header* real = req.find("x-real-ip"); real && parse_ip(real->value)) {
    return http::Endpoint{std::string(trim(real->value)), 0};
  }
  return req.peer;
}

}  // namespace flux::runtime::core
