#include "runtime/core/error_pages.hpp"

#include "runtime/core/header_policy.hpp"
#include "runtime/core/site_state.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {
namespace {

// The compiler fills web.cache_control with this default; an error page keeps its own policy
// only when the operator chose one.
constexpr std::string_view kDefaultCacheControl = "public, max-age=60";

}  // namespace

std::optional<http::Response> serve_error_page(ActionContext& ctx, const ErrorPages* pages,
                                               std::uint16_t status) {
  if (pages == nullptr) return std::nullopt;
  for (const auto* page : *pages) {
    if (page->status() != status || page->web() == nullptr || page->path() == nullptr) continue;
    const SiteState& site = site_of(ctx.generation);
    // The page is fetched like a GET whatever the request method was.
    http::Request get = ctx.exchange.request();
    get.method = get.method == "HEAD" ? "HEAD" : "GET";
    get.headers.clear();
    const statics::StaticContext sc = site.static_context(
        *page->web(), *ctx.generation.root().routing(), ctx.vhost_index, page->path()->string_view());
    auto result = statics::serve_static(sc, get);
    if (result.declined != statics::Decline::kNone || result.response.status != 200) {
      return std::nullopt;
    }
    http::Response r = std::move(result.response);
    r.status = status;
    const auto* cc = page->web()->cache_control();
    if (cc == nullptr || cc->string_view() == kDefaultCacheControl) {
      remove_header(r, "cache-control");
      r.add("Cache-Control", "private, no-store");
    }
    remove_header(r, "etag");
    remove_header(r, "last-modified");
    remove_header(r, "accept-ranges");
    return r;
  }
  return std::nullopt;
}

}  // namespace flux::runtime::core
