#include "runtime/php/status.hpp"

#include <algorithm>

#include "runtime/php/text.hpp"
#include "runtime/status/reason_phrase.hpp"

namespace flux::runtime::php {
namespace {

bool contains(const std::vector<std::uint16_t>& list, std::uint16_t status) {
  return std::find(list.begin(), list.end(), status) != list.end();
}

}  // namespace

bool has_error_page(std::uint16_t status, const InterceptConfig& config) {
  return contains(config.error_page_statuses, status);
}

bool is_intercepted(std::uint16_t status, ResponseOrigin origin, const InterceptConfig& config) {
  if (has_error_page(status, config)) return true;
  return origin == ResponseOrigin::kPhp && contains(config.intercept_error_statuses, status);
}

std::vector<ResponseHeader> surviving_headers(std::uint16_t status,
                                              std::span<const ResponseHeader> headers) {
  std::vector<ResponseHeader> kept;
  if (status != 429 && status != 503) return kept;
  for (const ResponseHeader& h : headers) {
    if (iequals(h.name, "retry-after")) kept.push_back(h);
  }
  return kept;
}

GeneratedError generated_error(std::uint16_t status, std::vector<ResponseHeader> kept) {
  GeneratedError e;
  e.status = status;
  e.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  e.headers.push_back({"Cache-Control", "no-store"});
  for (ResponseHeader& h : kept) e.headers.push_back(std::move(h));
  e.body = status::generated_error_body(status);
  return e;
}

}  // namespace flux::runtime::php
