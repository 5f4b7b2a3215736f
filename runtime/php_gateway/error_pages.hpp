#pragma once
// [[vhosts.php.error_pages]] (config-reference.md §8.3, php-behaviour.md §10): a static page
// served with the intercepted status from its own web root.

#include <cstdint>
#include <optional>

#include "runtime/core/action.hpp"
#include "runtime/http/response.hpp"

namespace flux::fxs {
struct Php;
}

namespace flux::runtime::php_gateway {

// nullopt when the block has no page for `status`, or the page cannot be served (missing or
// forbidden): the caller then falls back to the generated response.
std::optional<http::Response> serve_error_page(core::ActionContext& ctx, const fxs::Php& php,
                                               std::uint16_t status);

}  // namespace flux::runtime::php_gateway
