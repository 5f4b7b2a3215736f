#pragma once
// Serialization of a response head (RFC 9112 §4, §6): status line, Date, our headers, framing.

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/http/response.hpp"

namespace flux::runtime::http {

struct ResponseFraming {
  unsigned version = 11;         // of the request
  bool keep_alive = true;        // after this response
  bool head_request = false;     // HEAD: framing headers describe the GET body
  bool chunked = false;          // Transfer-Encoding: chunked
  std::optional<std::uint64_t> content_length;
};

void serialize_head(const Response& response, const ResponseFraming& framing, std::string& out);

// The current IMF-fixdate, cached per thread and refreshed once per second.
const std::string& current_http_date();

}  // namespace flux::runtime::http
