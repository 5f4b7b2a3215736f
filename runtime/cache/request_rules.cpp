#include "runtime/cache/request_rules.hpp"

#include <algorithm>

#include "runtime/cache/cache_control.hpp"
#include "runtime/http/uri.hpp"

namespace flux::runtime::cache {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool path_bypassed(const CachePolicy& p, std::string_view path) {
  if (contains(p.bypass_path_exact, path)) return true;
  // Segment-aware like route path_prefix (§7.4): "/wp-admin/" covers everything below it.
  return std::any_of(
      p.bypass_path_prefixes.begin(), p.bypass_path_prefixes.end(),
      [&](const std::string& prefix) { return http::path_has_prefix(path, prefix); });
}

bool header_bypassed(const CachePolicy& p, const expr::RequestVars& vars) {
  for (const auto& name : p.bypass_request_headers) {
    if (vars.header(name)) return true;
  }
  for (const auto& [name, value] : p.bypass_request_header_values) {
    if (vars.header(name) == std::optional<std::string_view>(value)) return true;
  }
  return false;
}

bool cookie_bypassed(const CachePolicy& p, const expr::RequestVars& vars) {
  for (const auto& name : p.bypass_cookie_names) {
    if (vars.cookie(name)) return true;
  }
  for (const auto& prefix : p.bypass_cookie_name_prefixes) {
    if (vars.has_cookie_prefix(prefix)) return true;
  }
  for (const auto& [name, value] : p.bypass_cookie_values) {
    if (vars.cookie(name) == std::optional<std::string_view>(value)) return true;
  }
  return false;
}

bool query_bypassed(const CachePolicy& p, const RequestFacts& r, const expr::RequestVars& vars) {
  if (p.bypass_query && !r.query.empty()) return true;
  for (const auto& name : p.bypass_query_params) {
    if (vars.arg(name)) return true;
  }
  for (const auto& [name, value] : p.bypass_query_values) {
    if (vars.arg(name) == std::optional<std::string_view>(value)) return true;
  }
  return false;
}

// Vary values may hold anything a header value can; escaping the separator bytes keeps keys
// unambiguous.
void append_escaped(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '%') {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

Bypass bypass_reason(const CachePolicy& policy, const RequestFacts& request,
                     const expr::RequestVars& vars) {
  if (!contains(policy.methods, request.method)) return Bypass::kMethod;
  if (vars.header("upgrade")) return Bypass::kUpgrade;
  if (path_bypassed(policy, request.routing_path)) return Bypass::kPath;
  if (header_bypassed(policy, vars)) return Bypass::kHeader;
  if (cookie_bypassed(policy, vars)) return Bypass::kCookie;
  if (query_bypassed(policy, request, vars)) return Bypass::kQuery;
  return Bypass::kNone;
}

bool client_wants_refresh(const CachePolicy& policy, const expr::RequestVars& vars) {
  if (!policy.allow_client_cache_refresh) return false;
  if (const auto cc = vars.header("cache-control")) {
    CacheControl parsed;
    parse_cache_control(*cc, parsed);
    return parsed.no_cache;
  }
  const auto pragma = vars.header("pragma");
  return pragma && list_has_token(*pragma, "no-cache");
}

std::string_view key_method(std::string_view method) { return method == "HEAD" ? "GET" : method; }

std::string build_key(const CachePolicy& policy, const RequestFacts& request,
                      const std::optional<std::string>& template_body,
                      const expr::RequestVars& vars) {
  std::string key;
  key.reserve(request.host.size() + request.routing_path.size() + request.query.size() + 32);
  if (!policy.key_namespace.empty()) key.append(policy.key_namespace).push_back(' ');
  if (template_body) {
    key.append(*template_body);
  } else {
    const KeyParts& k = policy.key_parts;
    if (k.method) key.append(key_method(request.method)).push_back(' ');
    if (k.host) key.append(request.host);
    if (k.path) key.append(request.routing_path);
    if (k.query && policy.include_query && request.has_query) {
      key.push_back('?');
      key.append(request.query);
    }
  }
  for (const auto& name : policy.vary_request_headers) {
    key.push_back(' ');
    key.append(name);
    if (const auto value = vars.header(name)) {
      key.push_back('=');
      append_escaped(key, *value);
    }
  }
  return key;
}

}  // namespace flux::runtime::cache
