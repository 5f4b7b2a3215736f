#include "runtime/php/retry_policy.hpp"

#include <algorithm>
#include <cerrno>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {

bool is_retryable_errno(int err) {
  switch (err) {
    case ECONNREFUSED:
    case ECONNRESET:
    case ECONNABORTED:
    case EPIPE:
    case ENOTCONN:
    case EADDRINUSE:
    case EADDRNOTAVAIL:
    case ENOENT:  // the unix socket file is missing (managed php-fpm restarting, §14.5)
      return true;
    default:
      return false;
  }
}

AttemptResult classify_end_request(const fastcgi::EndRequest& end) {
  if (end.complete()) return AttemptResult::kResponse;
  if (end.protocol_status == static_cast<std::uint8_t>(fastcgi::ProtocolStatus::kOverloaded)) {
    return AttemptResult::kConnectionError;
  }
  return AttemptResult::kInvalidResponse;
}

std::uint32_t attempt_budget(std::string_view method, const RetryConfig& config) {
  std::string upper(method);
  for (char& c : upper) c = ascii_upper(c);
  const bool listed = std::find(config.retry_methods.begin(), config.retry_methods.end(), upper) !=
                      config.retry_methods.end();
  if (!listed) return 0;
  // With several endpoints, a safe method gets to try each one once (failover).
  const std::size_t failover = config.endpoint_count > 0 ? config.endpoint_count - 1 : 0;
  return static_cast<std::uint32_t>(std::max<std::size_t>(config.max_retries, failover));
}

std::string_view to_string(RetryReason r) {
  switch (r) {
    case RetryReason::kNone:
      return "none";
    case RetryReason::kConnectionError:
      return "connection_error";
    case RetryReason::kConnectTimeout:
      return "connect_timeout";
    case RetryReason::kStatus:
      return "status";
    case RetryReason::kInvalidResponse:
      return "invalid_response";
  }
  return "none";
}

RetryReason retry_decision(const AttemptReport& attempt, std::uint32_t budget,
                           std::uint32_t retries_done, std::chrono::steady_clock::duration elapsed,
                           const RetryConfig& config) {
  if (retries_done >= budget) return RetryReason::kNone;
  if (config.retry_timeout && elapsed >= *config.retry_timeout) return RetryReason::kNone;
  switch (attempt.result) {
    case AttemptResult::kConnectTimeout:
      return attempt.response_bytes_received ? RetryReason::kNone : RetryReason::kConnectTimeout;
    case AttemptResult::kConnectionError:
      return attempt.response_bytes_received ? RetryReason::kNone : RetryReason::kConnectionError;
    case AttemptResult::kResponse: {
      const auto& s = config.retry_statuses;
      return std::find(s.begin(), s.end(), attempt.status) != s.end() ? RetryReason::kStatus
                                                                      : RetryReason::kNone;
    }
    case AttemptResult::kInvalidResponse:
      return config.retry_invalid_response ? RetryReason::kInvalidResponse : RetryReason::kNone;
    case AttemptResult::kRequestTimeout:  // never retried: PHP may have run side effects
    case AttemptResult::kFpmError:
      return RetryReason::kNone;
  }
  return RetryReason::kNone;
}

bool stale_connection_retry(bool from_pool, bool already_retried_stale, bool failed_on_write,
                            bool eof_or_reset_before_response) {
  return from_pool && !already_retried_stale && (failed_on_write || eof_or_reset_before_response);
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kIntercepted:
      return "intercepted";
    case Outcome::kOffload:
      return "offload";
    case Outcome::kRedirect:
      return "redirect";
    case Outcome::kNotFound:
      return "not_found";
    case Outcome::kForbidden:
      return "forbidden";
    case Outcome::kDeclined:
      return "declined";
    case Outcome::kMethodNotAllowed:
      return "method_not_allowed";
    case Outcome::kBadRequest:
      return "bad_request";
    case Outcome::kPayloadTooLarge:
      return "payload_too_large";
    case Outcome::kBusy:
      return "busy";
    case Outcome::kConnectTimeout:
      return "connect_timeout";
    case Outcome::kRequestTimeout:
      return "request_timeout";
    case Outcome::kConnectionError:
      return "connection_error";
    case Outcome::kConfigurationError:
      return "configuration_error";
    case Outcome::kInvalidResponse:
      return "invalid_response";
    case Outcome::kFpmError:
      return "fpm_error";
  }
  return "fpm_error";
}

Outcome outcome_of(AttemptResult r) {
  switch (r) {
    case AttemptResult::kResponse:
      return Outcome::kOk;
    case AttemptResult::kConnectTimeout:
      return Outcome::kConnectTimeout;
    case AttemptResult::kConnectionError:
      return Outcome::kConnectionError;
    case AttemptResult::kRequestTimeout:
      return Outcome::kRequestTimeout;
    case AttemptResult::kInvalidResponse:
      return Outcome::kInvalidResponse;
    case AttemptResult::kFpmError:
      return Outcome::kFpmError;
  }
  return Outcome::kFpmError;
}

}  // namespace flux::runtime::php
