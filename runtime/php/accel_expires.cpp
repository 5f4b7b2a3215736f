#include "runtime/php/accel_expires.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// Non-negative decimal, saturating at kMaxTtlSecs; nullopt for anything but digits.
std::optional<std::uint64_t> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = std::min<std::uint64_t>(v * 10 + static_cast<std::uint64_t>(c - '0'), kMaxTtlSecs * 10);
  }
  return v;
}

// True when a comma-separated list has an element whose name (before '=') is one of `names`.
bool lists_directive(std::string_view value, std::span<const std::string_view> names) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim_ows(value.substr(0, comma));
    const std::string_view name = trim_ows(item.substr(0, item.find('=')));
    for (std::string_view n : names) {
      if (iequals(name, n)) return true;
    }
    value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
  }
  return false;
}

void erase_named(std::vector<ResponseHeader>& headers, std::string_view name) {
  std::erase_if(headers, [&](const ResponseHeader& h) { return iequals(h.name, name); });
}

}  // namespace

std::optional<std::uint64_t> parse_accel_expires(std::string_view value, std::int64_t now_unix) {
  value = trim_ows(value);
  if (value.starts_with('@')) {
    const std::optional<std::uint64_t> epoch = parse_digits(value.substr(1));
    if (!epoch) return std::nullopt;
    const auto e = static_cast<std::int64_t>(*epoch);
    return e > now_unix
               ? std::min<std::uint64_t>(static_cast<std::uint64_t>(e - now_unix), kMaxTtlSecs)
               : 0;
  }
  if (value.starts_with('-')) {  // a negative integer becomes 0
    if (!parse_digits(value.substr(1))) return std::nullopt;
    return 0;
  }
  const std::optional<std::uint64_t> n = parse_digits(value);
  if (!n) return std::nullopt;
  return std::min(*n, kMaxTtlSecs);
}

bool has_restrictive_cache_policy(std::span<const ResponseHeader> headers) {
  static constexpr std::string_view kCacheControl[] = {"private", "no-store", "no-cache"};
  static constexpr std::string_view kPragma[] = {"no-cache"};
  for (const ResponseHeader& h : headers) {
    if (iequals(h.name, "cache-control") && lists_directive(h.value, kCacheControl)) return true;
    if (iequals(h.name, "pragma") && lists_directive(h.value, kPragma)) return true;
  }
  return false;
}

std::string http_date(std::int64_t unix_time) {
  // Formatted by hand: strftime's %a/%b follow the process locale, HTTP dates must not.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                              kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                              tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

AccelExpiresResult apply_accel_expires(std::vector<ResponseHeader>& headers,
                                       std::int64_t now_unix) {
  AccelExpiresResult r;
  const auto it = std::find_if(headers.begin(), headers.end(), [](const ResponseHeader& h) {
    return iequals(h.name, "x-accel-expires");
  });
  if (it == headers.end()) return r;
  r.ttl = parse_accel_expires(it->value, now_unix);
  if (!r.ttl) {
    r.action = AccelExpiresAction::kIgnored;
    return r;
  }
  // Never promote a response the origin marked private/uncacheable to shared-cache use.
  if (has_restrictive_cache_policy(headers)) {
    r.action = AccelExpiresAction::kKeptRestrictiveOrigin;
    return r;
  }
  const bool has_cookie = std::any_of(headers.begin(), headers.end(), [](const ResponseHeader& h) {
    return iequals(h.name, "set-cookie");
  });
  erase_named(headers, "cache-control");
  erase_named(headers, "expires");
  if (*r.ttl == 0) {
    headers.push_back({"Cache-Control", "no-store"});
  } else {
    const std::string ttl = std::to_string(*r.ttl);
    const std::string_view scope = has_cookie ? "private, max-age=" : "public, max-age=";
    headers.push_back({"Cache-Control", std::string(scope) + ttl});
    headers.push_back({"Expires", http_date(now_unix + static_cast<std::int64_t>(*r.ttl))});
  }
  r.action = AccelExpiresAction::kApplied;
  return r;
}

}  // namespace flux::runtime::php
