#pragma once
// The request-header policy of config-reference.md §4.1, applied to proxied requests and, before
// the HTTP_* translation, to PHP requests: client-IP headers from untrusted peers stripped,
// X-Forwarded-*, Forwarded, X-Real-IP set, then remove / set / append.

#include <string>
#include <utility>
#include <vector>

#include "runtime/core/header_policy.hpp"
#include "runtime/http/request.hpp"

namespace flux::fxs {
struct RequestHeaders;
}

namespace flux::runtime::core {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// `peer_trusted`: the TCP peer is in trusted_proxies. The result keeps arrival order for the
// headers it does not touch; hop-by-hop headers are left for the consumer to drop.
HeaderList apply_request_policy(const fxs::RequestHeaders* policy, const http::Request& req,
                                bool peer_trusted, const TemplateExpander& expand);

}  // namespace flux::runtime::core
