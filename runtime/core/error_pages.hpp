#pragma once
// Static error pages of a PHP block or a proxy ([[vhosts.php.error_pages]],
// [[vhosts.proxy.error_pages]]; config-reference.md §7.3, §8.3; php-behaviour.md §10): the page
// is served from its own web root with the intercepted status.

#include <cstdint>
#include <optional>

#include <flatbuffers/flatbuffers.h>

#include "runtime/core/action.hpp"
#include "runtime/http/response.hpp"

namespace flux::fxs {
struct ErrorPage;
}

namespace flux::runtime::core {

using ErrorPages = flatbuffers::Vector<flatbuffers::Offset<fxs::ErrorPage>>;

// nullopt when there is no page for `status`, or it cannot be served (missing or forbidden):
// the caller then falls back to its generated response.
std::optional<http::Response> serve_error_page(ActionContext& ctx, const ErrorPages* pages,
                                               std::uint16_t status);

}  // namespace flux::runtime::core
