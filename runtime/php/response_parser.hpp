#pragma once
// Strict parse of php-fpm STDOUT into status, headers and body (php-behaviour.md §9.1).
// Any failure is `invalid_response` (502, or a retry per §8.4).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flux::runtime::php {

struct ResponseHeader {
  std::string name;   // as PHP wrote it (trimmed)
  std::string value;  // trimmed
};

enum class ResponseError {
  kNone,
  kMissingTerminator,
  kHeadersTooLarge,
  kMalformedHeader,
  kUnsafeBytes,
  kStatusOutOfRange,
  kEmptyStatus,
  kInformationalStatus,  // a 1xx other than 103
};

// The log text of each error (§9.1 wording).
std::string_view to_string(ResponseError e);

struct ParsedResponse {
  std::uint16_t status = 200;
  // Every header but Status, in PHP's order with duplicates; Set-Cookie lines stay separate.
  std::vector<ResponseHeader> headers;
  std::string_view body;  // points into the STDOUT buffer passed to parse_response
};

struct ResponseParse {
  ResponseError error = ResponseError::kNone;
  ParsedResponse response;
  bool ok() const { return error == ResponseError::kNone; }
};

ResponseParse parse_response(std::string_view stdout_bytes, std::size_t max_header_bytes);

}  // namespace flux::runtime::php
