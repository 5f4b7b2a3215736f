#pragma once
// One request/response exchange on a downstream connection, as handlers see it. The connection
// (runtime/http/connection.cpp, the only place that touches Beast) implements it for plain TCP
// and TLS. Handlers never see sockets: they read the request body and send a response.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>

#include "runtime/http/request.hpp"
#include "runtime/http/response.hpp"

namespace flux::runtime {
struct Generation;
}

namespace flux::runtime::http {

enum class BodyStatus {
  kData,      // `bytes` bytes were read
  kEnd,       // the body is complete (bytes == 0)
  kTooLarge,  // the body limit was crossed (413)
  kTimeout,   // body_read_timeout or the minimum rate was violated (408)
  kMalformed, // bad chunked framing (400)
  kClosed,    // the client went away
};

struct BodyRead {
  BodyStatus status = BodyStatus::kEnd;
  std::size_t bytes = 0;
};

// A response whose body is produced incrementally (proxy streaming). `content_length` unset
// means chunked framing on HTTP/1.1 (or close-delimited on HTTP/1.0).
struct StreamHead {
  Response head;  // status + headers; body/file ignored
  std::optional<std::uint64_t> content_length;
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual const Request& request() const = 0;
  // The effective client after trusted_proxies processing (set by the dispatcher).
  virtual void set_client(Endpoint client) = 0;
  virtual const std::shared_ptr<const Generation>& generation() const = 0;
  virtual boost::asio::any_io_executor executor() const = 0;

  // The effective body limit for this request (most specific scope wins; set by the
  // dispatcher once the route is known). A declared Content-Length above it fails the first
  // read_body() with kTooLarge without reading and without "100 Continue".
  virtual void set_body_limit(std::uint64_t limit) = 0;
  // A deadline for the whole body (php.request_timeout_secs); reads past it give kTimeout.
  virtual void set_body_deadline(std::chrono::steady_clock::time_point deadline) = 0;
  // A handler's own client timeouts for this exchange (the proxy's downstream_read/write): the
  // longest wait for one body read, and for one write to make progress. Both default to the
  // server's body_read_timeout_secs.
  virtual void set_client_timeouts(std::chrono::seconds read, std::chrono::seconds write) = 0;
  virtual boost::asio::awaitable<BodyRead> read_body(std::span<char> buffer) = 0;
  virtual bool body_complete() const = 0;

  // Sends a complete response. Returns false when the connection failed.
  virtual boost::asio::awaitable<bool> send(Response response) = 0;

  // Streaming responses: head, then data chunks, then finish.
  virtual boost::asio::awaitable<bool> send_head(StreamHead head) = 0;
  virtual boost::asio::awaitable<bool> send_data(std::span<const char> data) = 0;
  virtual boost::asio::awaitable<bool> finish() = 0;

  // Protocol switch (RFC 9110 §7.8, RFC 6455 §4): once send_head() has sent a 101 response the
  // connection carries the new protocol, and these move its bytes (a read and a write may be
  // pending at the same time). read_raw returns 0 when the client closed, failed, or sent
  // nothing for `idle`. The connection is closed when the exchange ends.
  virtual boost::asio::awaitable<std::size_t> read_raw(std::span<char> buffer,
                                                       std::chrono::seconds idle) = 0;
  virtual boost::asio::awaitable<bool> write_raw(std::span<const char> data) = 0;
  // Ends a pending read_raw (the other direction of the tunnel is finished).
  virtual void cancel_raw() = 0;

  // Ask for the connection to be closed after this exchange.
  virtual void close_after() = 0;
  virtual bool response_started() const = 0;
};

}  // namespace flux::runtime::http
