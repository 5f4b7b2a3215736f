#include "runtime/http/router.hpp"

#include "runtime/http/uri.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"
#include "snapshot/regex/matcher.hpp"

namespace flux::runtime::http {
namespace {

bool method_allowed(const fxs::Route& route, std::string_view method) {
  const auto* methods = route.methods();
  if (methods == nullptr || methods->size() == 0) return true;
  for (const auto* m : *methods) {
    if (m->string_view() == method) return true;
  }
  return false;
}

bool regex_matches(std::span<const snapshot::regex::Matcher> regexes, const fxs::Route& route,
                   std::string_view path) {
  if (route.regex() < 0 || static_cast<std::size_t>(route.regex()) >= regexes.size()) return false;
  return regexes[static_cast<std::size_t>(route.regex())].match(path);
}

}  // namespace

HostMatch select_host(const fxs::Snapshot& snapshot, const Request& req) {
  const auto* server = snapshot.config()->server();
  const bool strict = server->host_routing() != nullptr && server->host_routing()->strict();
  const auto* vhosts = snapshot.config()->vhosts();
  const bool no_vhosts = vhosts == nullptr || vhosts->size() == 0;
  if (no_vhosts) return {HostDecision::kFallback, -1};
  if (req.host.empty() && strict) return {HostDecision::kBadRequest, -1};
  std::int32_t vh = req.host.empty() ? -1 : snapshot::find_vhost(*snapshot.routing(), req.host);
  if (vh < 0) {
    if (strict) return {HostDecision::kMisdirected, -1};
    vh = snapshot.routing()->default_vhost();
    if (vh < 0) {
      const auto* cfg = snapshot.config();
      const bool has_fallback = (cfg->web() && cfg->web()->root()) ||
                                (cfg->proxy() && (cfg->proxy()->upstream() ||
                                                  (cfg->proxy()->upstreams() && cfg->proxy()->upstreams()->size() != 0)));
      return has_fallback ? HostMatch{HostDecision::kFallback, -1}
                          : HostMatch{HostDecision::kMisdirected, -1};
    }
  }
  return {HostDecision::kVhost, vh};
}

RouteMatch select_route(std::span<const snapshot::regex::Matcher> regexes,
                        const fxs::Vhost& vhost, std::string_view method, std::string_view path,
                        const WhenEvaluator& when) {
  const auto* routes = vhost.routes();
  if (routes == nullptr || routes->size() == 0) return {};
  auto accept = [&](std::uint16_t index) {
    const fxs::Route& r = *routes->Get(index);
    return method_allowed(r, method) && (r.when() == nullptr || r.when()->source() == nullptr ||
                                         r.when()->source()->size() == 0 || when(r));
  };
  if (const auto* exact = vhost.exact_routes()) {
    for (auto index : *exact) {
      if (routes->Get(index)->path_exact()->string_view() == path && accept(index)) {
        return {index};
      }
    }
  }
  if (const auto* prefix = vhost.prefix_routes()) {
    for (auto index : *prefix) {
      if (path_has_prefix(path, routes->Get(index)->path_prefix()->string_view()) && accept(index)) {
        return {index};
      }
    }
  }
  if (const auto* regex = vhost.regex_routes()) {
    for (auto index : *regex) {
      if (regex_matches(regexes, *routes->Get(index), path) && accept(index)) return {index};
    }
  }
  if (vhost.fallback_route() >= 0 && accept(static_cast<std::uint16_t>(vhost.fallback_route()))) {
    return {vhost.fallback_route()};
  }
  return {};
}

std::string rewrite_path(const fxs::Route& route, std::string_view raw_path) {
  if (route.strip_prefix() == nullptr || route.strip_prefix()->size() == 0) {
    return std::string(raw_path);
  }
  std::string_view strip = route.strip_prefix()->string_view();
  std::string_view rest = raw_path;
  if (rest.starts_with(strip)) rest.remove_prefix(strip.size());
  std::string out = route.rewrite_prefix() != nullptr ? route.rewrite_prefix()->str() : "";
  if (!out.empty() && out.back() == '/' && rest.starts_with('/')) rest.remove_prefix(1);
  if (!out.ends_with('/') && !rest.empty() && !rest.starts_with('/')) out.push_back('/');
  out.append(rest);
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  return out;
}

}  // namespace flux::runtime::http
