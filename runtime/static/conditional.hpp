#pragma once
// Validators and conditional requests for static files (RFC 9110 §8.8, §13).

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace flux::runtime::statics {

// Strong entity tag from size and mtime (nanoseconds), like nginx: "<mtime hex>-<size hex>".
std::string make_etag(std::uint64_t size, std::int64_t mtime_sec, std::int64_t mtime_nsec);

// If-None-Match (§13.1.2): true when any listed tag weakly matches, or the field is "*".
bool if_none_match_matches(std::string_view header, std::string_view etag);

// If-Range (§13.1.5): the range applies when the validator is the current strong ETag or an
// HTTP-date exactly equal to Last-Modified.
bool if_range_allows(std::string_view header, std::string_view etag, std::time_t mtime);

}  // namespace flux::runtime::statics
