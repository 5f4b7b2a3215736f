#pragma once
// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace flux::runtime::http {

std::string format_http_date(std::time_t t);
std::optional<std::time_t> parse_http_date(std::string_view s);

}  // namespace flux::runtime::http
