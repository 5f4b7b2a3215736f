#pragma once
// Reason phrases of the IANA HTTP Status Code Registry (RFC 9110 §15), shared by the HTTP layer
// and the PHP path (php-behaviour.md §9.2).

#include <string>
#include <string_view>

namespace flux::runtime::status {

// The registered phrase, or "Unknown" for an unregistered code.
std::string_view reason_phrase(unsigned status);

// The body of a gateway-generated error (php-behaviour.md §10): "<code> <reason>\n" lowercased.
std::string generated_error_body(unsigned status);

}  // namespace flux::runtime::status
