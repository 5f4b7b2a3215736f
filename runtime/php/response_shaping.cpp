#include "runtime/php/response_shaping.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// §9.2: framing and hop-by-hop headers (RFC 9110 §7.6.1), and the internal X-Accel-* /
// X-Sendfile controls that must never reach a client.
constexpr std::array<std::string_view, 16> kAlwaysRemoved = {"content-length",
                                                             "transfer-encoding",
                                                             "connection",
                                                             "keep-alive",
                                                             "proxy-authenticate",
                                                             "proxy-authorization",
                                                             "proxy-connection",
                                                             "te",
                                                             "trailer",
                                                             "upgrade",
                                                             "x-accel-redirect",
                                                             "x-sendfile",
                                                             "x-accel-expires",
                                                             "x-accel-buffering",
                                                             "x-accel-charset",
                                                             "x-accel-limit-rate"};

constexpr std::array<std::string_view, 3> kOriginCacheHeaders = {"cache-control", "expires",
                                                                 "pragma"};

// Lowercased tokens named by PHP's Connection headers (comma-split, trimmed, valid tokens).
std::vector<std::string> connection_tokens(const std::vector<ResponseHeader>& headers) {
  std::vector<std::string> tokens;
  for (const ResponseHeader& h : headers) {
    if (!iequals(h.name, "connection")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view token = trim_ows(rest.substr(0, comma));
      if (is_token(token)) tokens.push_back(to_lower(token));
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    }
  }
  return tokens;
}

OffloadRequest find_offload(const std::vector<ResponseHeader>& headers) {
  OffloadRequest sendfile;
  for (const ResponseHeader& h : headers) {
    if (iequals(h.name, "x-accel-redirect")) return {OffloadKind::kAccelRedirect, h.value};
    if (sendfile.kind == OffloadKind::kNone && iequals(h.name, "x-sendfile")) {
      sendfile = {OffloadKind::kSendfile, h.value};
    }
  }
  return sendfile;
}

template <typename List>
bool listed(const List& list, std::string_view lower_name) {
  return std::find(list.begin(), list.end(), lower_name) != list.end();
}

}  // namespace

ShapingResult shape_response(ParsedResponse& response, const ShapingConfig& config,
                             std::int64_t now_unix) {
  ShapingResult result;
  std::vector<ResponseHeader>& headers = response.headers;
  result.offload = find_offload(headers);
  result.accel_expires = apply_accel_expires(headers, now_unix);
  const std::vector<std::string> connection = connection_tokens(headers);
  std::erase_if(headers, [&](const ResponseHeader& h) {
    const std::string name = to_lower(h.name);
    return listed(kAlwaysRemoved, name) || listed(connection, name) ||
           listed(config.hide_response_headers, name) ||
           (config.ignore_origin_cache_headers && listed(kOriginCacheHeaders, name));
  });
  return result;
}

}  // namespace flux::runtime::php
