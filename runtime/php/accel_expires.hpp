#pragma once
// X-Accel-Expires (php-behaviour.md §11): a TTL from PHP turned into Cache-Control/Expires,
// unless the origin's own policy is already restrictive.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/php/response_parser.hpp"

namespace flux::runtime::php {

// RFC 9111 §1.2.2: a delta-seconds value that overflows is taken as 2^31.
inline constexpr std::uint64_t kMaxTtlSecs = 2147483648ull;

// `@<epoch>` -> max(epoch - now, 0); an integer -> max(n, 0); anything else -> nullopt.
std::optional<std::uint64_t> parse_accel_expires(std::string_view value, std::int64_t now_unix);

// A Cache-Control directive named private, no-store or no-cache, or Pragma: no-cache.
bool has_restrictive_cache_policy(std::span<const ResponseHeader> headers);

// IMF-fixdate (RFC 9110 §5.6.7) of a Unix time.
std::string http_date(std::int64_t unix_time);

enum class AccelExpiresAction { kAbsent, kIgnored, kKeptRestrictiveOrigin, kApplied };

struct AccelExpiresResult {
  AccelExpiresAction action = AccelExpiresAction::kAbsent;
  std::optional<std::uint64_t> ttl;  // kApplied / kKeptRestrictiveOrigin: the parsed TTL
};

// Applies the first X-Accel-Expires header to `headers`: TTL > 0 -> "public|private,
// max-age=TTL" (private when there is a Set-Cookie) and Expires; TTL = 0 -> "no-store". The
// X-Accel-Expires header itself is left for the shaping step to remove.
AccelExpiresResult apply_accel_expires(std::vector<ResponseHeader>& headers, std::int64_t now_unix);

}  // namespace flux::runtime::php
