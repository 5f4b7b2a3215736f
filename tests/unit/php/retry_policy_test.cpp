// php-behaviour.md §8.4 retry decisions and §8.5 outcome labels.

#include "runtime/php/retry_policy.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace flux::runtime::php {
namespace {

using std::chrono::seconds;

AttemptReport failed(AttemptResult r, bool bytes = false) {
  return {.result = r, .response_bytes_received = bytes};
}

TEST(PhpRetryPolicy, BudgetIsZeroForMethodsNotListed) {
  RetryConfig c;
  c.max_retries = 3;
  EXPECT_EQ(attempt_budget("POST", c), 0u);
  EXPECT_EQ(attempt_budget("get", c), 3u);  // compared after uppercasing
  EXPECT_EQ(attempt_budget("HEAD", c), 3u);
}

TEST(PhpRetryPolicy, BudgetCoversEveryEndpointForSafeMethods) {
  RetryConfig c;
  c.endpoint_count = 4;
  EXPECT_EQ(attempt_budget("GET", c), 3u);
  c.max_retries = 5;
  EXPECT_EQ(attempt_budget("GET", c), 5u);
  EXPECT_EQ(attempt_budget("DELETE", c), 0u);
}

TEST(PhpRetryPolicy, TransportFailuresBeforeAnyResponseByteAreRetried) {
  const RetryConfig c;
  EXPECT_EQ(retry_decision(failed(AttemptResult::kConnectionError), 1, 0, {}, c),
            RetryReason::kConnectionError);
  EXPECT_EQ(retry_decision(failed(AttemptResult::kConnectTimeout), 1, 0, {}, c),
            RetryReason::kConnectTimeout);
  EXPECT_EQ(retry_decision(failed(AttemptResult::kConnectionError, true), 1, 0, {}, c),
            RetryReason::kNone);
}

TEST(PhpRetryPolicy, RequestTimeoutIsNeverRetried) {
  RetryConfig c;
  c.retry_invalid_response = true;
  EXPECT_EQ(retry_decision(failed(AttemptResult::kRequestTimeout), 5, 0, {}, c),
            RetryReason::kNone);
}

TEST(PhpRetryPolicy, BudgetAndRetryWindowAreRespected) {
  RetryConfig c;
  c.retry_timeout = seconds(2);
  const AttemptReport a = failed(AttemptResult::kConnectionError);
  EXPECT_EQ(retry_decision(a, 2, 2, {}, c), RetryReason::kNone);
  EXPECT_EQ(retry_decision(a, 2, 1, seconds(1), c), RetryReason::kConnectionError);
  EXPECT_EQ(retry_decision(a, 2, 1, seconds(2), c), RetryReason::kNone);
}

TEST(PhpRetryPolicy, StatusesAndInvalidResponsesOnlyWhenConfigured) {
  RetryConfig c;
  const AttemptReport s503{.result = AttemptResult::kResponse, .status = 503};
  EXPECT_EQ(retry_decision(s503, 1, 0, {}, c), RetryReason::kNone);
  c.retry_statuses = {502, 503};
  EXPECT_EQ(retry_decision(s503, 1, 0, {}, c), RetryReason::kStatus);
  EXPECT_EQ(retry_decision(failed(AttemptResult::kInvalidResponse), 1, 0, {}, c),
            RetryReason::kNone);
  c.retry_invalid_response = true;
  EXPECT_EQ(retry_decision(failed(AttemptResult::kInvalidResponse), 1, 0, {}, c),
            RetryReason::kInvalidResponse);
  EXPECT_EQ(retry_decision(failed(AttemptResult::kFpmError), 1, 0, {}, c), RetryReason::kNone);
}

TEST(PhpRetryPolicy, OverloadedIsAConnectionErrorOtherStatusesInvalid) {
  EXPECT_EQ(classify_end_request({.app_status = 0, .protocol_status = 0}),
            AttemptResult::kResponse);
  EXPECT_EQ(classify_end_request({.protocol_status = 2}), AttemptResult::kConnectionError);
  EXPECT_EQ(classify_end_request({.protocol_status = 1}), AttemptResult::kInvalidResponse);
  EXPECT_EQ(classify_end_request({.protocol_status = 3}), AttemptResult::kInvalidResponse);
  EXPECT_EQ(classify_end_request({.protocol_status = 9}), AttemptResult::kInvalidResponse);
}

TEST(PhpRetryPolicy, RetryableErrnoList) {
  for (int e : {ECONNREFUSED, ECONNRESET, ECONNABORTED, EPIPE, ENOTCONN, EADDRINUSE, EADDRNOTAVAIL,
                ENOENT}) {
    EXPECT_TRUE(is_retryable_errno(e)) << e;
  }
  EXPECT_FALSE(is_retryable_errno(EACCES));
  EXPECT_FALSE(is_retryable_errno(ETIMEDOUT));
}

TEST(PhpRetryPolicy, StaleConnectionRetriedOnceOnlyForPooledConnections) {
  EXPECT_TRUE(stale_connection_retry(true, false, true, false));
  EXPECT_TRUE(stale_connection_retry(true, false, false, true));
  EXPECT_FALSE(stale_connection_retry(true, true, true, false));
  EXPECT_FALSE(stale_connection_retry(false, false, true, true));
  EXPECT_FALSE(stale_connection_retry(true, false, false, false));
}

TEST(PhpOutcome, LabelsMatchSpec) {
  EXPECT_EQ(to_string(Outcome::kOk), "ok");
  EXPECT_EQ(to_string(Outcome::kMethodNotAllowed), "method_not_allowed");
  EXPECT_EQ(to_string(Outcome::kConfigurationError), "configuration_error");
  EXPECT_EQ(to_string(outcome_of(AttemptResult::kRequestTimeout)), "request_timeout");
  EXPECT_EQ(to_string(outcome_of(AttemptResult::kConnectionError)), "connection_error");
  EXPECT_EQ(to_string(RetryReason::kConnectTimeout), "connect_timeout");
}

}  // namespace
}  // namespace flux::runtime::php
