#include "runtime/cache/cache_control.hpp"

#include "runtime/http/request.hpp"

namespace flux::runtime::cache {
namespace {

// delta-seconds (RFC 9111 §1.2.2), optionally quoted (§5.2: senders may quote the argument).
// Values beyond 2^31 are capped there, as the RFC requires.
std::optional<std::uint64_t> delta_seconds(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) return std::nullopt;
  constexpr std::uint64_t kCap = 2147483648u;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > kCap) n = kCap;
  }
  return n;
}

}  // namespace

void parse_cache_control(std::string_view value, CacheControl& out) {
  for_each_list_element(value, [&](std::string_view item) {
    const auto eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    std::string_view arg = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    while (!arg.empty() && (arg.front() == ' ' || arg.front() == '\t')) arg.remove_prefix(1);
    if (http::iequals(name, "no-store")) {
      out.no_store = true;
    } else if (http::iequals(name, "no-cache")) {
      // The qualified form `no-cache="field"` (§5.2.2.4) also forbids reuse without
      // revalidation as far as this cache is concerned: it never revalidates.
      out.no_cache = true;
    } else if (http::iequals(name, "private")) {
      out.is_private = true;
    } else if (http::iequals(name, "public")) {
      out.is_public = true;
    } else if (http::iequals(name, "max-age")) {
      out.max_age = delta_seconds(arg).value_or(0);
    } else if (http::iequals(name, "s-maxage")) {
      if (auto v = delta_seconds(arg)) out.s_maxage = v;
    }
  });
}

bool list_has_token(std::string_view value, std::string_view token) {
  bool found = false;
  for_each_list_element(
      value, [&](std::string_view item) { found = found || http::iequals(item, token); });
  return found;
}

}  // namespace flux::runtime::cache
