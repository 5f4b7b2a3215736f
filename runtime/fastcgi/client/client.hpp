#pragma once
// The FastCGI client of one PHP block in one generation: endpoint selection (round-robin),
// pooled connections, the exchange itself, and the retry, failover and stale-connection rules
// of php-behaviour.md §8. The request is encoded by the pure codec; this file only moves bytes.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/fastcgi/client/endpoint.hpp"
#include "runtime/fastcgi/client/pool.hpp"
#include "runtime/fastcgi/codec/encoder.hpp"
#include "runtime/fastcgi/codec/protocol.hpp"
#include "runtime/php/retry_policy.hpp"

namespace flux::runtime::metrics {
class Registry;
class Counter;
}  // namespace flux::runtime::metrics

namespace flux::runtime::fastcgi {

// php-behaviour.md §8.5 transport outcomes (the PHP layer adds the HTTP-level ones).
enum class Outcome {
  kOk,
  kConnectTimeout,
  kRequestTimeout,
  kConnectionError,
  kInvalidResponse,
  kFpmError,
  kConfigurationError,
  kBusy,  // no connection became free in time (the connection cap)
};
std::string_view outcome_label(Outcome o);

// The request body replayed to every attempt: from memory or from a spool file (positional
// reads, so a retry re-reads it).
struct BodySource {
  std::string_view memory;
  int spool_fd = -1;
  std::uint64_t length = 0;
};

struct ExchangeResult {
  Outcome outcome = Outcome::kFpmError;
  std::string stdout_data;
  std::string stderr_data;
  EndRequest end;
  std::string detail;          // for the log line
  std::size_t endpoint = 0;    // index of the endpoint that answered (or failed last)
  unsigned attempts = 0;
};

struct Timeouts {
  std::chrono::seconds connect{30};
  std::chrono::seconds exchange{30};
};

// Called on a complete response before it is accepted; may turn it into kInvalidResponse
// (parse error, stderr failure pattern) and reports its HTTP status for retry_statuses.
struct Verdict {
  bool invalid = false;
  std::string reason;
  unsigned status = 0;
};
using ResponseCheck = std::function<Verdict(const ExchangeResult&)>;

class Client {
 public:
  Client(std::vector<Endpoint> endpoints, PoolOptions pool, php::RetryConfig retry, Timeouts timeouts,
         std::uint64_t max_response_bytes, std::string pool_prefix, std::string vhost,
         std::string scope, metrics::Registry& metrics);
  ~Client();

  boost::asio::awaitable<ExchangeResult> execute(
      boost::asio::any_io_executor executor, std::span<const NameValue> params,
      const BodySource& body, std::string_view method,
      std::chrono::steady_clock::time_point queue_deadline, const ResponseCheck& check);

  // Old generation after a reload: stop handing out pooled connections.
  void retire();
  std::size_t endpoint_count() const { return endpoints_.size(); }

 private:
  struct Attempt;
  boost::asio::awaitable<ExchangeResult> attempt_once(boost::asio::any_io_executor executor,
                                                      std::size_t endpoint,
                                                      const std::string& head,
                                                      const BodySource& body,
                                                      std::chrono::steady_clock::time_point queue_deadline,
                                                      bool fresh_only, php::AttemptReport& report,
                                                      bool& stale);
  void count_retry(std::string_view reason);

  std::vector<Endpoint> endpoints_;
  std::vector<std::shared_ptr<Pool>> pools_;
  php::RetryConfig retry_;
  Timeouts timeouts_;
  std::uint64_t max_response_bytes_;
  bool keepalive_;
  std::atomic<std::size_t> round_robin_{0};
  std::string vhost_;
  std::string scope_;
  metrics::Registry& metrics_;
};

}  // namespace flux::runtime::fastcgi
