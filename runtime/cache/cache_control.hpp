#pragma once
// Cache-Control directives (RFC 9111 §5.2) as far as the cache uses them. Directive names are
// case-insensitive; unknown directives are ignored (§5.2.3). A delta-seconds value that does
// not parse makes the directive count as absent for max-age/s-maxage, except that a malformed
// max-age is treated as 0 (§1.2.2: invalid freshness information means "stale"), which keeps
// such responses out of the cache.

#include <cstdint>
#include <optional>
#include <string_view>

namespace flux::runtime::cache {

struct CacheControl {
  bool no_store = false;
  bool no_cache = false;
  bool is_private = false;
  bool is_public = false;
  std::optional<std::uint64_t> max_age;
  std::optional<std::uint64_t> s_maxage;
};

// Adds the directives of one field value (several header lines: call once per line).
void parse_cache_control(std::string_view value, CacheControl& out);

// True when a comma-separated list field (Pragma, Vary) holds `token` (case-insensitive).
bool list_has_token(std::string_view value, std::string_view token);

// Calls fn(element) for each trimmed, non-empty element of a comma-separated list field.
template <typename Fn>
void for_each_list_element(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) fn(item);
  }
}

}  // namespace flux::runtime::cache
