#pragma once
// Retry decisions and outcome labels of the FastCGI exchange (php-behaviour.md §8.4, §8.5), as
// pure functions: the Asio client reports what happened, these say what to do next.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fastcgi/codec/protocol.hpp"

namespace flux::runtime::php {

struct RetryConfig {
  std::vector<std::string> retry_methods{"GET", "HEAD", "OPTIONS"};  // php.fpm.retry_methods
  std::uint8_t max_retries = 0;
  std::optional<std::chrono::seconds> retry_timeout;
  bool retry_invalid_response = false;
  std::vector<std::uint16_t> retry_statuses;
  std::size_t endpoint_count = 1;
};

// What one attempt ended with.
enum class AttemptResult {
  kResponse,  // a parsed response (any status)
  kConnectTimeout,
  kConnectionError,  // refused/reset/aborted/broken pipe/not connected/addr in use or not
                     // available/socket file missing/EOF before the first record/OVERLOADED
  kRequestTimeout,   // the exchange timed out: never retried
  kInvalidResponse,  // protocol or parse error, oversize, stderr failure pattern
  kFpmError,         // anything else
};

// errno values of §8.4's retryable transport failures (Asio's system_category codes are errno).
bool is_retryable_errno(int err);

// END_REQUEST protocolStatus: OVERLOADED is a connection error (may be retried); any other
// value than REQUEST_COMPLETE is an invalid response (§8.1).
AttemptResult classify_end_request(const fastcgi::EndRequest& end);

// Retries allowed for `method`: 0 unless it is in retry_methods (exact, after uppercasing),
// else max(max_retries, endpoint_count - 1).
std::uint32_t attempt_budget(std::string_view method, const RetryConfig& config);

enum class RetryReason { kNone, kConnectionError, kConnectTimeout, kStatus, kInvalidResponse };

// fluxheim_php_fpm_retries_total{reason}: connection_error | connect_timeout | status |
// invalid_response (stale_connection comes from the stale-connection retry).
std::string_view to_string(RetryReason r);

struct AttemptReport {
  AttemptResult result = AttemptResult::kFpmError;
  bool response_bytes_received = false;  // any byte of a response record arrived
  std::uint16_t status = 0;              // kResponse
};

// Whether to make another attempt. `retries_done` counts retries already made (not the first
// attempt); `elapsed` runs from the first attempt.
RetryReason retry_decision(const AttemptReport& attempt, std::uint32_t budget,
                           std::uint32_t retries_done, std::chrono::steady_clock::duration elapsed,
                           const RetryConfig& config);

// §8.4 stale pooled connection: a connection taken from the pool that fails on write, or
// gives EOF/reset before any response byte, is retried once on a fresh connection, for every
// method and outside the budget.
bool stale_connection_retry(bool from_pool, bool already_retried_stale, bool failed_on_write,
                            bool eof_or_reset_before_response);

// §8.5 outcome labels.
enum class Outcome {
  kOk,
  kIntercepted,
  kOffload,
  kRedirect,
  kNotFound,
  kForbidden,
  kDeclined,
  kMethodNotAllowed,
  kBadRequest,
  kPayloadTooLarge,
  kBusy,
  kConnectTimeout,
  kRequestTimeout,
  kConnectionError,
  kConfigurationError,
  kInvalidResponse,
  kFpmError,
};

std::string_view to_string(Outcome o);

// The outcome label of a failed exchange.
Outcome outcome_of(AttemptResult r);

}  // namespace flux::runtime::php
