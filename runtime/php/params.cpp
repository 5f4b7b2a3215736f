#include "runtime/php/params.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "runtime/php/header_params.hpp"
#include "runtime/php/host.hpp"
#include "runtime/php/text.hpp"
#include "snapshot/managed_params.hpp"

namespace flux::runtime::php {
namespace {

// "::ffff:192.0.2.1" -> "192.0.2.1" (§5.1 REMOTE_ADDR: IPv4-mapped IPv6 is written as IPv4).
std::string_view unmap_ipv4(std::string_view addr) {
  constexpr std::string_view kMapped = "::ffff:";
  if (addr.size() <= kMapped.size() || !iequals(addr.substr(0, kMapped.size()), kMapped)) {
    return addr;
  }
  const std::string_view v4 = addr.substr(kMapped.size());
  const bool dotted =
      v4.find('.') != std::string_view::npos &&
      std::all_of(v4.begin(), v4.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
  return dotted ? v4 : addr;
}

// All Content-Type values joined with ", "; "" when one is unsafe or the join is too long.
std::string content_type(const RequestView& req) {
  std::string joined;
  bool first = true;
  for (const HeaderView& h : req.headers) {
    if (!iequals(h.name, "content-type")) continue;
    if (!is_param_safe(h.value)) return {};
    if (!first) joined.append(", ");
    joined.append(h.value);
    first = false;
    if (joined.size() > kMaxParamValueBytes) return {};
  }
  return joined;
}

std::string server_name(const RequestView& req) {
  const std::string_view host = strip_port(host_value(req));
  if (!host.empty() && is_param_safe(host)) return std::string(host);
  if (!req.vhost_name.empty() && is_param_safe(req.vhost_name)) return std::string(req.vhost_name);
  return "localhost";
}

std::string server_port(const RequestView& req, const ParamConfig& config) {
  if (config.server_port) return std::to_string(*config.server_port);
  if (const auto port = explicit_port(host_value(req))) return std::to_string(*port);
  return req.tls ? "443" : "80";
}

// §5.1 fixed params, in the order of the table. Built in place: an initializer list would copy
// every name and value once more.
std::vector<fastcgi::NameValue> fixed_params(const RequestView& req, const ScriptTarget& script,
                                             const ParamConfig& config) {
  std::vector<fastcgi::NameValue> p;
  p.reserve(24 + req.headers.size() + config.custom.size());
  auto add = [&p](std::string_view name, std::string value) {
    p.push_back({std::string(name), std::move(value)});
  };
  add("GATEWAY_INTERFACE", "CGI/1.1");
  add("SERVER_SOFTWARE", "fluxheim");
  add("SERVER_PROTOCOL", std::string(req.protocol));
  add("REQUEST_METHOD", std::string(req.method));
  add("SCRIPT_NAME", script.script_name);
  add("SCRIPT_FILENAME", script.script_filename);
  add("QUERY_STRING", std::string(req.query));
  add("REQUEST_URI", std::string(req.request_uri));
  add("DOCUMENT_ROOT", script.document_root);
  add("DOCUMENT_URI", script.script_name);
  add("REMOTE_ADDR", std::string(unmap_ipv4(req.remote_addr)));
  add("REMOTE_PORT", req.remote_port ? std::to_string(*req.remote_port) : std::string());
  add("SERVER_ADDR", std::string(unmap_ipv4(req.local_addr)));
  add("SERVER_PORT", server_port(req, config));
  add("SERVER_NAME", server_name(req));
  add("CONTENT_TYPE", content_type(req));
  add("CONTENT_LENGTH", std::to_string(req.body_length));
  add("REQUEST_SCHEME", req.tls ? "https" : "http");
  add("HTTPS", req.tls ? "on" : "off");
  add("REDIRECT_STATUS", "200");
  return p;
}

void append_custom(const ParamConfig& config, std::vector<fastcgi::NameValue>& out) {
  // fluxc already refuses these names; dropping them here is defence in depth (§5.3).
  for (const fastcgi::NameValue& p : config.custom) {
    if (p.name.empty() || is_protected_param(p.name) || !is_param_safe(p.value)) continue;
    out.push_back(p);
  }
}

}  // namespace

bool is_protected_param(std::string_view name) {
  return name.starts_with("HTTP_") || snapshot::is_managed_param(name);
}

ParamsResult build_params(const RequestView& req, const ScriptTarget& script,
                          const ParamConfig& config) {
  ParamsResult r;
  r.params = fixed_params(req, script, config);
  for (const fastcgi::NameValue& p : r.params) {
    if (!is_param_safe(p.value)) {
      r.error = ParamError::kUnsafeValue;
      r.param = p.name;
      return r;
    }
  }
  if (config.pass_request_headers) {
    append_header_params(req.headers, r.params);
    const std::string_view host = host_value(req);
    if (!host.empty() && is_param_safe(host)) r.params.push_back({"HTTP_HOST", std::string(host)});
  }
  append_custom(config, r.params);
  if (!script.path_info.empty()) {
    if (!is_param_safe(script.path_info) || !is_param_safe(script.path_translated)) {
      r.error = ParamError::kUnsafeValue;
      r.param = "PATH_INFO";
      return r;
    }
    r.params.push_back({"PATH_INFO", script.path_info});
    r.params.push_back({"PATH_TRANSLATED", script.path_translated});
  }
  std::size_t total = 0;
  for (const fastcgi::NameValue& p : r.params) total += fastcgi::encoded_pair_size(p.name, p.value);
  if (total > kMaxParamsBytes) r.error = ParamError::kTooLarge;
  return r;
}

}  // namespace flux::runtime::php
