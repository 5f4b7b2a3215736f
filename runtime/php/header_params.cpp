#include "runtime/php/header_params.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "runtime/php/host.hpp"
#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// §5.2: HTTPoxy (`Proxy`, always), CGI variables sent on their own, and hop-by-hop headers.
constexpr std::array<std::string_view, 11> kDropped = {
    "proxy",   "content-type",      "content-length", "connection",       "keep-alive", "te",
    "trailer", "transfer-encoding", "upgrade",        "proxy-connection", "host"};

bool is_cgi_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Lowercased tokens listed in every Connection header (RFC 9110 §7.6.1).
std::vector<std::string> connection_tokens(std::span<const HeaderView> headers) {
  std::vector<std::string> tokens;
  for (const HeaderView& h : headers) {
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

bool is_dropped(std::string_view name, const std::vector<std::string>& connection) {
  return std::any_of(kDropped.begin(), kDropped.end(),
                     [&](std::string_view d) { return iequals(d, name); }) ||
         std::any_of(connection.begin(), connection.end(),
                     [&](const std::string& t) { return iequals(t, name); });
}

// "HTTP_" + the name uppercased with '-' as '_', compared without building it.
bool same_cgi_name(std::string_view param, std::string_view header) {
  if (param.size() != header.size() + 5) return false;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const char c = header[i] == '-' ? '_' : ascii_upper(header[i]);
    if (param[i + 5] != c) return false;
  }
  return true;
}

std::string cgi_name(std::string_view header) {
  std::string name;
  name.reserve(header.size() + 5);
  name.append("HTTP_");
  for (char c : header) name.push_back(c == '-' ? '_' : ascii_upper(c));
  return name;
}

}  // namespace

void append_header_params(std::span<const HeaderView> headers,
                          std::vector<fastcgi::NameValue>& out) {
  const std::vector<std::string> connection = connection_tokens(headers);
  const std::size_t first = out.size();
  out.reserve(out.size() + headers.size());
  for (const HeaderView& h : headers) {
    // Only [A-Za-z0-9-]+: "X_Forwarded_For" must not pose as X-Forwarded-For.
    if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), is_cgi_name_char)) continue;
    if (is_dropped(h.name, connection) || !is_param_safe(h.value)) continue;
    // Repeated headers merge into the first one's param (a linear scan: a request has a few
    // dozen headers at most, which is cheaper than hashing every name).
    auto it = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                           [&](const fastcgi::NameValue& p) { return same_cgi_name(p.name, h.name); });
    if (it == out.end()) {
      out.push_back({cgi_name(h.name), std::string(h.value)});
      continue;
    }
    std::string& merged = it->value;
    const std::string_view sep = iequals(h.name, "cookie") ? "; " : ", ";
    if (merged.size() + sep.size() + h.value.size() > kMaxParamValueBytes) continue;
    merged.append(sep);
    merged.append(h.value);
  }
}

}  // namespace flux::runtime::php
