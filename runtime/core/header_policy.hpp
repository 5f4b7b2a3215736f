#pragma once
// The response-header policy of config-reference.md §4.2, applied to every response (PHP
// included) after the handler produced it. The policy stored per vhost and per route in the
// snapshot is already merged (global -> vhost -> route) by fluxc.

#include <functional>
#include <optional>
#include <string>

#include "runtime/http/response.hpp"

namespace flux::fxs {
struct ResponseHeaders;
struct Template;
}  // namespace flux::fxs

namespace flux::runtime::core {

// Expands a template for the current request; nullopt when the expansion is unusable (CTL
// bytes, over 16KiB), in which case the header is skipped (config-reference.md §4.2).
using TemplateExpander = std::function<std::optional<std::string>(const fxs::Template&)>;

struct PolicyStats {
  unsigned template_rejects = 0;
};

void apply_response_policy(const fxs::ResponseHeaders* policy, bool tls,
                           const TemplateExpander& expand, http::Response& response,
                           PolicyStats& stats);

// Removes every header named `name` (case-insensitive); returns how many were removed.
std::size_t remove_header(http::Response& response, std::string_view name);
bool has_header(const http::Response& response, std::string_view name);

}  // namespace flux::runtime::core
