#pragma once
// Exchanges the cache puts between an action and the client, so that it can keep a copy of a
// response the action streams itself (the proxy streams anything that is not small):
//   TeeExchange       forwards everything to the client's exchange and copies the streamed
//                     response into a Capture, up to max_object_bytes;
//   DetachedExchange  serves a background refresh (stale_while_revalidate): it owns a copy of
//                     the request, has no client, and only captures.

#include <deque>
#include <memory>
#include <span>
#include <string>

#include "runtime/cache/response_rules.hpp"
#include "runtime/http/exchange.hpp"

namespace flux::runtime::cache {

// A streamed response as far as it has been seen.
struct Capture {
  explicit Capture(std::uint64_t limit) : limit(limit) {}
  std::uint64_t limit;    // body bytes kept at most
  bool started = false;   // a head was sent
  bool complete = false;  // finish() succeeded
  bool overflow = false;  // the body went over `limit`: not storable
  bool wanted = true;     // cleared when the head already rules out storage
  unsigned status = 0;
  HeaderList headers;  // as the action produced them, before the response policy
  std::string body;

  void head(const http::Response& response);
  void data(std::span<const char> bytes);
};

// The origin of a response that will be stored sees the request without conditional and Range
// headers (RFC 9110 §13.1, §14.2), so that it answers with the complete representation, as a
// shared cache asks for it; the client gets that full response.
http::Request unconditional(const http::Request& request);

class TeeExchange final : public http::Exchange {
 public:
  // `for_storage`: the origin's answer may be stored, so it sees unconditional(request).
  TeeExchange(http::Exchange& client, Capture& capture, bool for_storage)
      : client_(client),
        capture_(capture),
        request_(for_storage ? unconditional(client.request()) : client.request()) {}

  const http::Request& request() const override { return request_; }
  void set_client(http::Endpoint client) override {
    request_.client = client;
    client_.set_client(std::move(client));
  }
  const std::shared_ptr<const Generation>& generation() const override {
    return client_.generation();
  }
  boost::asio::any_io_executor executor() const override { return client_.executor(); }
  void set_body_limit(std::uint64_t limit) override { client_.set_body_limit(limit); }
  void set_body_deadline(std::chrono::steady_clock::time_point d) override {
    client_.set_body_deadline(d);
  }
  void set_client_timeouts(std::chrono::seconds read, std::chrono::seconds write) override {
    client_.set_client_timeouts(read, write);
  }
  boost::asio::awaitable<http::BodyRead> read_body(std::span<char> buffer) override {
    return client_.read_body(buffer);
  }
  bool body_complete() const override { return client_.body_complete(); }
  boost::asio::awaitable<bool> send(http::Response response) override {
    return client_.send(std::move(response));
  }
  boost::asio::awaitable<bool> send_head(http::StreamHead head) override;
  boost::asio::awaitable<bool> send_data(std::span<const char> data) override;
  boost::asio::awaitable<bool> finish() override;
  boost::asio::awaitable<std::size_t> read_raw(std::span<char> buffer,
                                               std::chrono::seconds idle) override {
    return client_.read_raw(buffer, idle);
  }
  boost::asio::awaitable<bool> write_raw(std::span<const char> data) override {
    return client_.write_raw(data);
  }
  void cancel_raw() override { client_.cancel_raw(); }
  void close_after() override { client_.close_after(); }
  bool response_started() const override { return client_.response_started(); }

 private:
  http::Exchange& client_;
  Capture& capture_;
  http::Request request_;  // views into the client's request
};

// A GET request copied out of the connection's buffers (the original views die with the
// client's exchange), for a request that runs after the client has been answered.
class OwnedRequest {
 public:
  explicit OwnedRequest(const http::Request& original);
  OwnedRequest(const OwnedRequest&) = delete;
  OwnedRequest& operator=(const OwnedRequest&) = delete;
  const http::Request& get() const { return request_; }
  http::Request& get() { return request_; }

 private:
  std::string_view keep(std::string_view s);
  std::deque<std::string> storage_;  // stable addresses for the views of request_
  http::Request request_;
};

// Refreshes a GET entry: the request is the triggering one (a HEAD is refreshed as GET),
// without conditional and Range headers.
class DetachedExchange final : public http::Exchange {
 public:
  DetachedExchange(const http::Request& original, std::shared_ptr<const Generation> generation,
                   boost::asio::any_io_executor executor, Capture& capture);

  const http::Request& request() const override { return request_.get(); }
  void set_client(http::Endpoint client) override { request_.get().client = std::move(client); }
  const std::shared_ptr<const Generation>& generation() const override { return generation_; }
  boost::asio::any_io_executor executor() const override { return executor_; }
  void set_body_limit(std::uint64_t) override {}
  void set_body_deadline(std::chrono::steady_clock::time_point) override {}
  void set_client_timeouts(std::chrono::seconds, std::chrono::seconds) override {}
  // Only bodiless GET requests are refreshed.
  boost::asio::awaitable<http::BodyRead> read_body(std::span<char>) override;
  bool body_complete() const override { return true; }
  boost::asio::awaitable<bool> send(http::Response response) override;
  boost::asio::awaitable<bool> send_head(http::StreamHead head) override;
  boost::asio::awaitable<bool> send_data(std::span<const char> data) override;
  boost::asio::awaitable<bool> finish() override;
  // No client: a protocol switch can never complete.
  boost::asio::awaitable<std::size_t> read_raw(std::span<char>, std::chrono::seconds) override;
  boost::asio::awaitable<bool> write_raw(std::span<const char>) override;
  void cancel_raw() override {}
  void close_after() override {}
  bool response_started() const override { return capture_.started; }

 private:
  OwnedRequest request_;
  std::shared_ptr<const Generation> generation_;
  boost::asio::any_io_executor executor_;
  Capture& capture_;
};

}  // namespace flux::runtime::cache
