#pragma once
// Reading a request body for PHP (php-behaviour.md §6): fully buffered before php-fpm is
// contacted, in memory or, past the spool threshold, in an unlinked 0600 temp file, so php-fpm
// always gets an exact CONTENT_LENGTH and a body of unknown length is never streamed to it.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/http/exchange.hpp"

namespace flux::runtime::php_gateway {

struct BodyOptions {
  std::uint64_t limit = 0;                        // effective body limit (413 above)
  std::optional<std::uint64_t> spool_threshold;   // request_body_spool_threshold_bytes
  std::string spool_dir;                          // request_body_spool_dir
  bool discard = false;                           // pass_request_body = false
  std::chrono::steady_clock::time_point deadline; // the whole body, request_timeout_secs
};

enum class BodyStatus { kOk, kTooLarge, kTimeout, kMalformed, kClosed, kSpoolError };

class RequestBody {
 public:
  RequestBody() = default;
  RequestBody(RequestBody&& o) noexcept;
  RequestBody& operator=(RequestBody&&) = delete;
  ~RequestBody();

  BodyStatus status = BodyStatus::kOk;
  std::string memory;        // when not spooled
  int spool_fd = -1;         // when spooled (already unlinked)
  std::uint64_t length = 0;  // bytes to send on STDIN (0 when discarded)
  std::string error;         // spool failures, for the log line
};

boost::asio::awaitable<RequestBody> read_request_body(http::Exchange& exchange,
                                                      const BodyOptions& options);

// Creates the spool directory one component at a time (0700) and checks that it is a real
// directory that is not group/world-writable; then opens an anonymous 0600 file in it.
int open_spool_file(const std::string& dir, std::string& error);

}  // namespace flux::runtime::php_gateway
