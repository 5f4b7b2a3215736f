#pragma once
// Shaping of a parsed PHP response (php-behaviour.md §9.2, §11): hop-by-hop and internal
// headers removed, hide_response_headers, X-Accel-Expires, ignore_origin_cache_headers, and
// the offload target picked out. Framing (Content-Length, HEAD, 204/304) belongs to the HTTP
// layer, which sets Content-Length to the body it sends.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/php/accel_expires.hpp"
#include "runtime/php/response_parser.hpp"

namespace flux::runtime::php {

struct ShapingConfig {
  std::vector<std::string> hide_response_headers;  // lowercased header names
  bool ignore_origin_cache_headers = false;
};

enum class OffloadKind { kNone, kAccelRedirect, kSendfile };

struct OffloadRequest {
  OffloadKind kind = OffloadKind::kNone;
  std::string target;  // the header value as PHP sent it
};

struct ShapingResult {
  OffloadRequest offload;            // X-Accel-Redirect wins over X-Sendfile (§11)
  AccelExpiresResult accel_expires;  // also for the cache layer (§12)
};

// Rewrites `response.headers` in place. `now_unix` feeds X-Accel-Expires.
ShapingResult shape_response(ParsedResponse& response, const ShapingConfig& config,
                             std::int64_t now_unix);

}  // namespace flux::runtime::php
