#include "runtime/php/header_params.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

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

bool is_dropped(std::string_view lower_name, const std::vector<std::string>& connection) {
  return std::find(kDropped.begin(), kDropped.end(), lower_name) != kDropped.end() ||
         std::find(connection.begin(), connection.end(), lower_name) != connection.end();
}

std::string cgi_name(std::string_view header) {
  std::string name = "HTTP_";
  for (char c : header) name.push_back(c == '-' ? '_' : ascii_upper(c));
  return name;
}

}  // namespace

void append_header_params(std::span<const HeaderView> headers,
                          std::vector<fastcgi::NameValue>& out) {
  const std::vector<std::string> connection = connection_tokens(headers);
  std::unordered_map<std::string, std::size_t> index;  // param name -> position in `out`
  for (const HeaderView& h : headers) {
    // Only [A-Za-z0-9-]+: "X_Forwarded_For" must not pose as X-Forwarded-For.
    if (h.name.empty() || !std::all_of(h.name.begin(), h.name.end(), is_cgi_name_char)) continue;
    if (is_dropped(to_lower(h.name), connection) || !is_param_safe(h.value)) continue;
    std::string name = cgi_name(h.name);
    const auto [it, inserted] = index.try_emplace(name, out.size());
    if (inserted) {
      out.push_back({std::move(name), std::string(h.value)});
      continue;
    }
    std::string& merged = out[it->second].value;
    const std::string_view sep = iequals(h.name, "cookie") ? "; " : ", ";
    if (merged.size() + sep.size() + h.value.size() > kMaxParamValueBytes) continue;
    merged.append(sep);
    merged.append(h.value);
  }
}

}  // namespace flux::runtime::php
