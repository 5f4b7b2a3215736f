#include "runtime/core/access_log.hpp"

#include <vector>

#include "runtime/log/logger.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {

std::string_view handler_label(HandlerKind kind) {
  switch (kind) {
    case HandlerKind::kStatic: return "static";
    case HandlerKind::kPhp: return "php";
    case HandlerKind::kProxy: return "proxy";
    case HandlerKind::kRedirect: return "redirect";
    case HandlerKind::kGenerated: return "generated";
  }
  return "generated";
}

std::string_view normalized_method(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",    "POST",  "PUT",
                                                "PATCH",   "DELETE",  "OPTIONS", "TRACE",
                                                "CONNECT", "PROPFIND"};
  for (auto m : kKnown) {
    if (m == method) return m;
  }
  return "OTHER";
}

std::uint64_t effective_body_limit(const fxs::Snapshot& snapshot, const fxs::Vhost* vhost,
                                   const fxs::Route* route) {
  if (route != nullptr && route->max_request_body_bytes()) return *route->max_request_body_bytes();
  if (vhost != nullptr && vhost->max_request_body_bytes()) return *vhost->max_request_body_bytes();
  const auto* limits = snapshot.config()->server()->limits();
  return limits != nullptr ? limits->max_request_body_bytes() : 16u * 1024 * 1024;
}

void log_access(const fxs::Snapshot& snapshot, const http::Request& req, const RequestContext& rc) {
  const auto* logging = snapshot.config()->logging();
  const auto* a = logging ? logging->access() : nullptr;
  if (a != nullptr && !a->enabled()) return;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - rc.started)
          .count();
  std::vector<log::Field> fields;
  fields.reserve(14);
  fields.emplace_back("msg", "access");
  if (!rc.request_id.empty()) fields.emplace_back("request_id", rc.request_id);
  if (a == nullptr || a->include_client_ip()) fields.emplace_back("client_ip", req.client.ip);
  fields.emplace_back("method", req.method);
  if (a == nullptr || a->include_host()) fields.emplace_back("host", req.host);
  if (a == nullptr || a->include_path()) fields.emplace_back("path", req.path);
  fields.emplace_back("status", rc.status);
  fields.emplace_back("bytes", rc.body_bytes);
  fields.emplace_back("duration_ms", ms);
  if (a == nullptr || a->include_route()) {
    fields.emplace_back("vhost", rc.vhost);
    fields.emplace_back("route", rc.route);
    fields.emplace_back("handler", handler_label(rc.handler));
  }
  if ((a == nullptr || a->include_upstream()) && !rc.upstream.empty()) {
    fields.emplace_back("upstream", rc.upstream);
  }
  if ((a == nullptr || a->include_cache_phase()) && !rc.cache.empty()) {
    fields.emplace_back("cache", rc.cache);
  }
  log::logger().access(fields);
}

}  // namespace flux::runtime::core
