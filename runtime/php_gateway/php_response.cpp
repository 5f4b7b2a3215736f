// Turning a finished FastCGI exchange into the client response (php-behaviour.md §8.5, §9-§11):
// outcome mapping, strict parse, shaping, interception and error pages, offload, STDERR.

#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include <fcntl.h>

#include <ctime>

#include "runtime/core/header_policy.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/php/offload.hpp"
#include "runtime/php/response_parser.hpp"
#include "runtime/php/stderr_log.hpp"
#include "runtime/core/error_pages.hpp"
#include "runtime/php_gateway/php_gateway.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::php_gateway {
namespace {

// Headers of the PHP response that replace the file's own on an offload (§11).
constexpr std::string_view kPhpWins[] = {"content-type", "etag", "last-modified", "cache-control",
                                         "expires"};

bool php_wins(std::string_view name) {
  for (auto n : kPhpWins) {
    if (http::iequals(n, name)) return true;
  }
  return false;
}

std::string_view offload_reason(php::OffloadVerdict v) {
  switch (v) {
    case php::OffloadVerdict::kServe: return "offload";
    case php::OffloadVerdict::kBadGateway: return "invalid_response";
    case php::OffloadVerdict::kForbidden: return "forbidden";
    case php::OffloadVerdict::kNotFound: return "not_found";
    case php::OffloadVerdict::kInternalError: return "fpm_error";
  }
  return "fpm_error";
}

}  // namespace

void PhpGateway::log_stderr(core::ActionContext& ctx, const PhpBlock& block, const std::string& raw) {
  const fxs::Php& php = *block.config;
  std::string_view kind = "logged";
  if (!php.stderr_log()) {
    kind = "suppressed";
  } else {
    const php::StderrText text = php::sanitize_stderr(raw, php.stderr_max_bytes());
    if (text.truncated_bytes != 0) kind = "truncated";
    log::Level level = log::Level::kWarn;
    if (php.stderr_log_level()) log::parse_level(php.stderr_log_level()->string_view(), &level);
    log::logger().log(level, "php stderr",
                      {{"vhost", block.vhost}, {"route", ctx.rc.route}, {"script", ctx.path},
                       {"request_id", ctx.rc.request_id}, {"stderr", text.text}});
  }
  const metrics::Label labels[] = {{"vhost", block.vhost}, {"scope", block.scope}, {"kind", kind}};
  metrics_.counter("fluxheim_php_stderr_events_total", "php-fpm STDERR events.", labels).inc();
  if (php::matches_failure_pattern(raw, block.failure_patterns)) {
    const metrics::Label fp[] = {{"vhost", block.vhost}, {"scope", block.scope}, {"kind", "failure_pattern"}};
    metrics_.counter("fluxheim_php_stderr_events_total", "php-fpm STDERR events.", fp).inc();
  }
}

http::Response PhpGateway::finish(core::ActionContext& ctx, const PhpBlock& block, Exchange& x,
                                  fastcgi::ExchangeResult result) {
  if (!result.stderr_data.empty()) log_stderr(ctx, block, result.stderr_data);
  if (result.outcome != fastcgi::Outcome::kOk) {
    x.outcome = fastcgi::outcome_label(result.outcome);
    log::logger().log(log::Level::kError, "php-fpm exchange failed",
                      {{"vhost", block.vhost}, {"scope", block.scope}, {"outcome", x.outcome},
                       {"endpoint", static_cast<std::uint64_t>(result.endpoint)},
                       {"attempts", result.attempts}, {"detail", result.detail},
                       {"request_id", ctx.rc.request_id}});
    if (result.outcome == fastcgi::Outcome::kRequestTimeout) {
      return error_response(ctx, block, 504, "php-fpm timed out\n");
    }
    if (result.outcome == fastcgi::Outcome::kBusy) {
      http::Response r = error_response(ctx, block, 503, "php busy\n");
      r.add("Retry-After", "1");
      return r;
    }
    return error_response(ctx, block, 502, "php-fpm failed\n");
  }
  const fxs::Php& php = *block.config;
  php::ResponseParse parsed = php::parse_response(result.stdout_data, php.max_response_header_bytes());
  if (!parsed.ok()) {  // cannot happen: the exchange check parsed it already
    x.outcome = "invalid_response";
    return error_response(ctx, block, 502, "php-fpm failed\n");
  }
  php::ParsedResponse& pr = parsed.response;
  const php::ShapingResult shaped = php::shape_response(pr, block.shaping, std::time(nullptr));

  // §10: interception discards PHP's body and headers (Retry-After survives for 429/503).
  if (php::is_intercepted(pr.status, php::ResponseOrigin::kPhp, block.intercept)) {
    x.outcome = "intercepted";
    if (auto page = core::serve_error_page(ctx, php.error_pages(), pr.status)) return std::move(*page);
    php::GeneratedError g = php::generated_error(pr.status, php::surviving_headers(pr.status, pr.headers));
    http::Response r;
    r.status = g.status;
    for (auto& h : g.headers) r.add(std::move(h.name), std::move(h.value));
    r.body = std::move(g.body);
    return r;
  }

  // §11: X-Accel-Redirect / X-Sendfile.
  if (shaped.offload.kind != php::OffloadKind::kNone) {
    php::OffloadTarget target = php::validate_offload(block.root, block.fpm_root,
                                                      block.allowed_extensions, shaped.offload);
    if (target.verdict != php::OffloadVerdict::kServe) {
      x.outcome = offload_reason(target.verdict);
      log::logger().log(log::Level::kWarn, "php offload refused",
                        {{"vhost", block.vhost}, {"target", shaped.offload.target},
                         {"reason", target.reason}});
      const unsigned status = target.verdict == php::OffloadVerdict::kBadGateway ? 502
                              : target.verdict == php::OffloadVerdict::kForbidden ? 403
                              : target.verdict == php::OffloadVerdict::kNotFound  ? 404
                                                                                  : 500;
      return http::generated_error(status);
    }
    x.outcome = "offload";
    statics::FileResponseOptions options;
    options.content_type = statics::mime_type_for(*ctx.generation.root().routing(), target.local_path);
    // The validated descriptor stays owned by `target`; the response gets its own copy.
    const int fd = ::fcntl(target.file.get(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return http::generated_error(500);
    const statics::FileInfo file{std::make_shared<const http::OpenFile>(fd), target.st, nullptr, {}, {}};
    http::Response r = statics::file_response(ctx.exchange.request(), file, options, http::Response{});
    for (auto& h : pr.headers) {
      if (php_wins(h.name)) core::remove_header(r, h.name);
      r.add(std::move(h.name), std::move(h.value));
    }
    return r;
  }

  http::Response r;
  r.status = pr.status;
  r.headers.reserve(pr.headers.size() + 6);
  for (auto& h : pr.headers) r.add(std::move(h.name), std::move(h.value));
  const std::size_t body_offset = static_cast<std::size_t>(pr.body.data() - result.stdout_data.data());
  r.body = std::move(result.stdout_data);
  r.body.erase(0, body_offset);
  if (http::status_has_no_body(r.status)) r.body.clear();
  return r;
}

}  // namespace flux::runtime::php_gateway
