#pragma once
// Reason phrases (php-behaviour.md §9.2, IANA HTTP Status Code Registry) and interception with
// generated error responses (§10).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/php/response_parser.hpp"

namespace flux::runtime::php {

struct InterceptConfig {
  std::vector<std::uint16_t> intercept_error_statuses;  // php.intercept_error_statuses
  std::vector<std::uint16_t> error_page_statuses;       // php.error_pages[].status
};

enum class ResponseOrigin {
  kPhp,        // a status PHP sent
  kGenerated,  // a gateway error of §2 (502, 503, 504, ...)
};

// §10: a PHP status is intercepted when it has an error page or is listed in
// intercept_error_statuses; a generated status only when it has an error page.
bool is_intercepted(std::uint16_t status, ResponseOrigin origin, const InterceptConfig& config);

bool has_error_page(std::uint16_t status, const InterceptConfig& config);

// The headers of an intercepted response that survive: Retry-After for 429 and 503 only.
std::vector<ResponseHeader> surviving_headers(std::uint16_t status,
                                              std::span<const ResponseHeader> headers);

struct GeneratedError {
  std::uint16_t status = 500;
  std::vector<ResponseHeader> headers;
  std::string body;
};

// The gateway-generated error of §10: text/plain, "<code> <reason>\n" lowercased,
// Cache-Control: no-store, plus `kept` (from surviving_headers).
GeneratedError generated_error(std::uint16_t status, std::vector<ResponseHeader> kept = {});

}  // namespace flux::runtime::php
