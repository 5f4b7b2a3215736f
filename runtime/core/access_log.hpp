#pragma once
// One access-log line per request ([logging.access], config-reference.md §2.1) and the small
// label helpers shared with the request metrics.

#include <cstdint>
#include <string_view>

#include "runtime/core/request_context.hpp"
#include "runtime/http/request.hpp"

namespace flux::fxs {
struct Snapshot;
struct Vhost;
struct Route;
}  // namespace flux::fxs

namespace flux::runtime::core {

void log_access(const fxs::Snapshot& snapshot, const http::Request& req, const RequestContext& rc);

// Known methods as themselves, anything else as "OTHER" (bounded metric labels, §13).
std::string_view normalized_method(std::string_view method);

// The body limit of the most specific scope: route, then vhost, then server.limits.
std::uint64_t effective_body_limit(const fxs::Snapshot& snapshot, const fxs::Vhost* vhost,
                                   const fxs::Route* route);

}  // namespace flux::runtime::core
