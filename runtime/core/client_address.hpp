#pragma once
// The effective client address (config-reference.md §1 trusted_proxies): forwarded client-IP
// headers are honoured only when the TCP peer is a trusted proxy.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/request.hpp"

namespace flux::runtime::core {

struct Cidr {
  std::array<std::uint8_t, 16> addr{};  // IPv4 as IPv4-mapped IPv6
  std::uint8_t prefix = 128;
};

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text);
std::optional<Cidr> parse_cidr(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<Cidr> cidrs) : cidrs_(std::move(cidrs)) {}
  bool contains(std::string_view ip) const;
  bool empty() const { return cidrs_.empty(); }

 private:
  std::vector<Cidr> cidrs_;
};

// X-Forwarded-For is walked from the right, skipping trusted hops; then X-Real-IP. The result
// is the peer itself when it is not trusted or sent nothing usable.
http::Endpoint effective_client(const http::Request& req, const TrustedProxies& trusted);

}  // namespace flux::runtime::core
