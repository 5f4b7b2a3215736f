// The upstream side of the reverse proxy. Every step against the upstream runs under a
// deadline (connect, send, read: config-reference.md §7.3) that cancels the socket when it
// passes. Bodies move through one fixed 64 KiB buffer per direction, one read then one write,
// so a slow reader on either side stops the other (back-pressure) and memory stays bounded.

#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/proxy/upstream_io.hpp"

#include "runtime/http/head_parser.hpp"
#include "runtime/http/parser_read.hpp"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <tuple>

#include <openssl/x509v3.h>

#include "runtime/metrics/registry.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kHeadReadSize = 4096;
// Upstream response heads larger than this are refused as invalid (nginx's default
// proxy_buffer_size is far smaller; 64 KiB matches our own request-head default).
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

// Cancels the socket's pending operations once the deadline passes. Arming only stores a time
// point: one coarse ticker per I/O thread (see Ticker) checks every live deadline, so an
// exchange costs no timer registration, no lock and no cancellation handler.
class Deadline {
 public:
  Deadline(const asio::any_io_executor& ex, tcp::socket& socket);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void arm(Clock::duration d) {
    deadline_ = std::min(Clock::now() + d, cap_);
    expired_ = false;
  }
  void cap(Clock::time_point at) { cap_ = at; }
  bool expired() const { return expired_; }
  // Called by the ticker.
  void check(Clock::time_point now) {
    if (now < deadline_) return;
    expired_ = true;
    deadline_ = Clock::time_point::max();
    error_code ignored;
    socket_.cancel(ignored);
  }

 private:
  tcp::socket& socket_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point cap_ = Clock::time_point::max();
  bool expired_ = false;
};

// The per-thread ticker behind Deadline: wakes every kTick while deadlines exist, so timeouts
// fire up to kTick late (they are whole seconds in the configuration).
class Ticker {
 public:
  static constexpr auto kTick = std::chrono::milliseconds(250);

  static Ticker& local(const asio::any_io_executor& ex) {
    // One io_context per I/O thread, so the first executor seen here is this thread's.
    thread_local Ticker ticker(ex);
    return ticker;
  }
  void add(Deadline* d) {
    live_.push_back(d);
    if (!running_) start();
  }
  void remove(Deadline* d) {
    const auto it = std::find(live_.rbegin(), live_.rend(), d);  // recent ones sit at the back
    if (it == live_.rend()) return;
    *it = live_.back();
    live_.pop_back();
  }

 private:
  explicit Ticker(const asio::any_io_executor& ex) : timer_(ex) {}
  void start() {
    running_ = true;
    timer_.expires_after(kTick);
    timer_.async_wait([this](error_code ec) {
      running_ = false;
      if (ec) return;
      const auto now = Clock::now();
      for (std::size_t i = 0; i < live_.size(); ++i) live_[i]->check(now);
      if (!live_.empty()) start();
    });
  }
  asio::steady_timer timer_;
  std::vector<Deadline*> live_;
  bool running_ = false;
};

Deadline::Deadline(const asio::any_io_executor& ex, tcp::socket& socket) : socket_(socket) {
  Ticker::local(ex).add(this);
}

Deadline::~Deadline() { Ticker::local(socket_.get_executor()).remove(this); }

// Idle connections kept on the I/O thread that used them last, still registered with its
// io_context: reusing one costs no epoll_ctl, fcntl or getsockopt, which the shared pool's
// descriptors cost on every borrow. TLS connections are only kept here: their session state
// lives in the stream object, which cannot move to another io_context as a descriptor.
// Bounded per thread; plain connections beyond that go to the shared pool, TLS ones close.
template <typename Stream>
struct LocalIdle {
  std::shared_ptr<std::atomic<bool>> pool;  // the owning pool's identity and retired flag
  metrics::Gauge* idle;
  Stream stream;
  Clock::time_point expires;
};
constexpr std::size_t kLocalIdle = 64;

template <typename Stream>
std::vector<LocalIdle<Stream>>& local_idle() {
  thread_local std::vector<LocalIdle<Stream>> list;
  return list;
}

template <typename Stream>
std::optional<Stream> take_local(UpstreamPool& pool) {
  auto& list = local_idle<Stream>();
  const auto now = Clock::now();
  std::erase_if(list, [&](const LocalIdle<Stream>& e) {
    const bool dead = e.pool->load(std::memory_order_relaxed) || now >= e.expires;
    if (dead) e.idle->add(-1);
    return dead;  // the connection closes with the entry
  });
  for (auto it = list.rbegin(); it != list.rend(); ++it) {  // newest first
    if (it->pool != pool.retired_flag()) continue;
    Stream stream = std::move(it->stream);
    list.erase(std::next(it).base());
    pool.borrowed_locally();
    return stream;
  }
  return std::nullopt;
}

template <typename Stream>
bool park_local(UpstreamPool& pool, Stream& stream) {
  auto& list = local_idle<Stream>();
  if (list.size() >= kLocalIdle || pool.retired_flag()->load(std::memory_order_relaxed)) {
    return false;
  }
  pool.parked_locally();
  list.push_back({pool.retired_flag(), &pool.idle_gauge(), std::move(stream),
                  Clock::now() + pool.idle_timeout()});
  return true;
}

// The parse state of one exchange: its read buffer, response-head arena and field list. Kept per thread
// when the exchange ends, so the next one starts with their capacity instead of growing them
// again field by field (bounded: at most kSpareScratch of them, each under 64 KiB + 64 KiB).
struct ReadScratch {
  beast::flat_buffer buffer{kHeaderLimit + kChunk};
  http::HeadArena arena;
  std::vector<http::Header> fields;  // views into the arena
};
constexpr std::size_t kSpareScratch = 16;
thread_local std::vector<std::unique_ptr<ReadScratch>> t_spare_scratch;

std::unique_ptr<ReadScratch> take_scratch() {
  if (t_spare_scratch.empty()) {
    auto fresh = std::make_unique<ReadScratch>();
    // Beast sizes each read by the buffer's free capacity (at least 512 bytes): a typical
    // response head fits one read, and bodies get kChunk before they stream.
    fresh->buffer.reserve(kHeadReadSize);
    return fresh;
  }
  auto spare = std::move(t_spare_scratch.back());
  t_spare_scratch.pop_back();
  return spare;
}

void keep_scratch(std::unique_ptr<ReadScratch> scratch) {
  if (t_spare_scratch.size() >= kSpareScratch) return;
  scratch->buffer.clear();
  scratch->arena.clear();
  scratch->fields.clear();
  t_spare_scratch.push_back(std::move(scratch));
}

tcp::socket& lowest(tcp::socket& s) { return s; }
tcp::socket& lowest(TlsStream& s) { return s.next_layer(); }

std::optional<asio::ip::address> ip_literal(const std::string& host) {
  error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return addr;
}

// The per-attempt state of one exchange with one upstream over `Stream` (plain or TLS).
template <typename Stream>
class Forwarder {
 public:
  Forwarder(core::ActionContext& ctx, const ProxyBlock& block, const ForwardRequest& request,
            std::size_t index)
      : ctx_(ctx),
        ex_(ctx.exchange),
        block_(block),
        request_(request),
        up_(block.upstreams[index]),
        index_(index),
        socket_(ex_.executor()) {}
  // A coroutine destroyed mid-exchange (forced shutdown) still gives its pool slot back.
  ~Forwarder() {
    if (holding_) drop();
    parser_.reset();  // it points into the arena
    keep_scratch(std::move(scratch_));
  }
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // nullopt: the connection could not be set up; the caller fails over to the next upstream.
  asio::awaitable<std::optional<ForwardResult>> run();
  bool connect_timed_out() const { return connect_timed_out_; }

 private:
  enum class Step { kOk, kRetryFresh, kFailed };

  asio::awaitable<bool> open(bool allow_reuse);
  bool reuse_local();
  asio::awaitable<bool> connect();
  asio::awaitable<bool> handshake();
  asio::awaitable<Step> send_request(ForwardResult& result);
  asio::awaitable<Step> read_head(ForwardResult& result);
  asio::awaitable<ForwardResult> relay_response();
  asio::awaitable<ForwardResult> buffer_response(std::size_t length);
  asio::awaitable<ForwardResult> tunnel();
  asio::awaitable<void> pump_to_upstream(bool& done, asio::steady_timer& signal);
  // One write under send_timeout; `std::get<0>(co_await write_upstream(...))` is its error.
  auto write_upstream(std::span<const asio::const_buffer> buffers) {
    deadline_->arm(block_.send_timeout);
    return asio::async_write(*stream_, buffers, kTuple);
  }
  void fail(Failure f) { up_.failures[static_cast<std::size_t>(f)]->inc(); }
  ForwardResult result(Outcome o, unsigned status) { return {o, index_, status}; }
  void drop();
  void give_back(bool reusable);
  tcp::socket& socket() { return stream_ ? lowest(*stream_) : socket_; }
  std::span<const http::Header> upstream_fields() {
    parser_->headers(scratch_->fields);
    return scratch_->fields;
  }
  bool is_head() const { return ex_.request().method == "HEAD"; }

  core::ActionContext& ctx_;
  http::Exchange& ex_;
  const ProxyBlock& block_;
  const ForwardRequest& request_;
  const Upstream& up_;
  std::size_t index_;
  tcp::socket socket_;  // until the stream exists
  std::optional<Stream> stream_;
  std::optional<Deadline> deadline_;
  bool reused_ = false;
  bool holding_ = false;       // counted as active in the pool
  bool body_started_ = false;  // a request body byte went upstream
  bool connect_timed_out_ = false;
  std::unique_ptr<ReadScratch> scratch_ = take_scratch();
  beast::flat_buffer& buffer_ = scratch_->buffer;
  http::HeadArena& arena_ = scratch_->arena;
  std::optional<http::ResponseParser> parser_;
  std::unique_ptr<char[]> chunk_;  // the body buffer, allocated when a body moves

  char* chunk() {
    if (!chunk_) chunk_ = std::make_unique_for_overwrite<char[]>(kChunk);
    return chunk_.get();
  }
};

template <typename Stream>
void Forwarder<Stream>::drop() {
  deadline_.reset();
  error_code ignored;
  socket().close(ignored);
  stream_.reset();
  if (holding_) up_.pool->release(-1, false);
  holding_ = false;
}

// A reusable connection is parked on this thread (see LocalIdle); when that list is full, plain
// connections go back to the shared pool as file descriptors and TLS ones are closed.
template <typename Stream>
void Forwarder<Stream>::give_back(bool reusable) {
  if (reusable && holding_) {
    deadline_.reset();
    if (park_local(*up_.pool, *stream_)) {
      stream_.reset();
      holding_ = false;
      return;
    }
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      error_code ec;
      const int fd = stream_->release(ec);
      stream_.reset();
      holding_ = false;
      up_.pool->release(ec ? -1 : fd, !ec);
      return;
    }
  }
  drop();
}

template <typename Stream>
asio::awaitable<bool> Forwarder<Stream>::connect() {
  const auto deadline = Clock::now() + block_.connect_timeout;
  for (const std::string& address : up_.addresses) {
    error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) continue;
    socket_ = tcp::socket(ex_.executor());
    Deadline guard(ex_.executor(), socket_);
    guard.arm(deadline - Clock::now());
    std::tie(ec) = co_await socket_.async_connect(tcp::endpoint(ip, up_.port), kTuple);
    if (!ec) {
      socket_.set_option(tcp::no_delay(true), ec);
      co_return true;
    }
    if (guard.expired()) {
      connect_timed_out_ = true;
      fail(Failure::kConnectTimeout);
      co_return false;
    }
  }
  fail(Failure::kConnectRefused);
  co_return false;
}

template <typename Stream>
asio::awaitable<bool> Forwarder<Stream>::handshake() {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    SSL* ssl = SSL_new(block_.tls.get());
    if (ssl == nullptr) co_return false;
    const std::string& name = block_.sni.empty() ? up_.host : block_.sni;
    const bool name_is_ip = ip_literal(name).has_value();
    // RFC 6066 §3: SNI carries host names only, never IP literals.
    if (!name_is_ip) SSL_set_tlsext_host_name(ssl, name.c_str());
    if (block_.config->upstream_verify_cert() && block_.verify_hostname) {
      if (name_is_ip) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str());
      } else {
        SSL_set1_host(ssl, name.c_str());
      }
    }
    stream_.emplace(std::move(socket_), ssl);
    deadline_.emplace(ex_.executor(), lowest(*stream_));
    deadline_->arm(block_.connect_timeout);
    auto [ec] = co_await stream_->async_handshake(asio::ssl::stream_base::client, kTuple);
    if (ec) {
      connect_timed_out_ = deadline_->expired();
      fail(connect_timed_out_ ? Failure::kConnectTimeout : Failure::kTlsHandshake);
      co_return false;
    }
  } else {
    stream_.emplace(std::move(socket_));
    deadline_.emplace(ex_.executor(), *stream_);
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Forwarder<Stream>::open(bool allow_reuse) {
  reused_ = false;
  if constexpr (std::is_same_v<Stream, tcp::socket>) {
    const int fd = allow_reuse ? up_.pool->take_idle() : -1;
    if (fd >= 0) {
      int domain = AF_INET;
      socklen_t len = sizeof domain;
      ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
      error_code ec;
      socket_.assign(domain == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
      holding_ = true;
      if (!ec) {
        reused_ = true;
        stream_.emplace(std::move(socket_));
        deadline_.emplace(ex_.executor(), *stream_);
        co_return true;
      }
      drop();
    }
  }
  up_.pool->opened();
  holding_ = true;
  if (!co_await connect() || !co_await handshake()) {
    drop();
    co_return false;
  }
  co_return true;
}

// A request without a body needs no staleness probe: a connection the upstream closed fails
// before any response byte and is retried fresh (send_request, read_head).
template <typename Stream>
bool Forwarder<Stream>::reuse_local() {
  while (auto stream = take_local<Stream>(*up_.pool)) {
    holding_ = true;
    stream_.emplace(std::move(*stream));
    // A TLS peer that closed sends close_notify first, so the probe sees it as readable.
    if (ex_.request().has_body() && !still_idle(lowest(*stream_).native_handle())) {
      drop();
      continue;
    }
    reused_ = true;
    deadline_.emplace(ex_.executor(), lowest(*stream_));
    return true;
  }
  return false;
}

// RFC 9112 §9.3.1: a kept-alive connection may have been closed by the upstream just before
// we used it. That is only retried (on a fresh connection to the same upstream) while no body
// byte went out, so a request is never processed twice because of it.
template <typename Stream>
asio::awaitable<typename Forwarder<Stream>::Step> Forwarder<Stream>::send_request(
    ForwardResult& result) {
  const http::Request& req = ex_.request();
  RequestHead head;
  head.method = req.method;
  head.target = request_.target;
  head.host = request_.host.empty() ? std::string_view(up_.label) : std::string_view(request_.host);
  head.websocket = request_.websocket;
  head.chunked = req.chunked;
  if (!req.chunked && req.has_body()) head.content_length = req.content_length;
  const std::string text = build_request_head(request_.headers, head);
  const asio::const_buffer head_buffer(text.data(), text.size());
  if (std::get<0>(co_await write_upstream(std::span(&head_buffer, 1)))) {
    if (reused_ && !deadline_->expired()) co_return Step::kRetryFresh;
    fail(deadline_->expired() ? Failure::kSendTimeout : Failure::kSendError);
    result = this->result(deadline_->expired() ? Outcome::kTimeout : Outcome::kUpstreamClosed,
                          deadline_->expired() ? 504 : 502);
    co_return Step::kFailed;
  }
  while (req.has_body()) {
    const http::BodyRead r = co_await ex_.read_body(std::span(chunk(), kChunk));
    if (r.status == http::BodyStatus::kEnd) break;
    if (r.status != http::BodyStatus::kData) {
      static constexpr unsigned kClientStatus[] = {0, 0, 413, 408, 400, 0};
      result = this->result(Outcome::kClientClosed, kClientStatus[static_cast<int>(r.status)]);
      co_return Step::kFailed;
    }
    if (r.bytes == 0) continue;
    char size_line[24];
    const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", r.bytes);
    const asio::const_buffer framed[] = {asio::buffer(size_line, static_cast<std::size_t>(len)),
                                         asio::buffer(chunk(), r.bytes), asio::buffer("\r\n", 2)};
    const std::span<const asio::const_buffer> all(framed);
    const auto buffers = req.chunked ? all : all.subspan(1, 1);
    body_started_ = true;
    if (std::get<0>(co_await write_upstream(buffers))) {
      fail(deadline_->expired() ? Failure::kSendTimeout : Failure::kSendError);
      result = this->result(deadline_->expired() ? Outcome::kTimeout : Outcome::kUpstreamClosed,
                            deadline_->expired() ? 504 : 502);
      co_return Step::kFailed;
    }
  }
  if (req.chunked) {
    const asio::const_buffer last = asio::buffer("0\r\n\r\n", 5);  // RFC 9112 §7.1
    if (std::get<0>(co_await write_upstream(std::span(&last, 1)))) {
      fail(Failure::kSendError);
      result = this->result(Outcome::kUpstreamClosed, 502);
      co_return Step::kFailed;
    }
  }
  co_return Step::kOk;
}

template <typename Stream>
asio::awaitable<typename Forwarder<Stream>::Step> Forwarder<Stream>::read_head(
    ForwardResult& result) {
  // Interim 1xx responses other than 101 are consumed here (RFC 9110 §15.2): we already
  // answered the client's Expect ourselves.
  while (true) {
    parser_.emplace(arena_);
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(boost::none);
    if (is_head()) parser_->skip(true);
    deadline_->arm(block_.read_timeout);
    auto [ec, n] = co_await http::parser_read_header(*stream_, buffer_, *parser_);
    if (ec) {
      if (deadline_->expired()) {
        fail(Failure::kReadTimeout);
        result = this->result(Outcome::kTimeout, 504);
        co_return Step::kFailed;
      }
      const bool nothing = n == 0 && buffer_.size() == 0;
      if (nothing && reused_ && !body_started_) co_return Step::kRetryFresh;
      const bool closed = nothing || ec == bhttp::error::partial_message;
      fail(closed ? Failure::kUpstreamClosed : Failure::kInvalidResponse);
      result = this->result(closed ? Outcome::kUpstreamClosed : Outcome::kInvalidResponse, 502);
      co_return Step::kFailed;
    }
    const unsigned status = parser_->status();
    if (status >= 200 || status == 101) co_return Step::kOk;
  }
}

template <typename Stream>
asio::awaitable<std::optional<ForwardResult>> Forwarder<Stream>::run() {
  ForwardResult out;
  bool allow_reuse = true;
  while (true) {
    // A connection parked on this thread needs no coroutine of its own (the common case).
    if (!(allow_reuse && reuse_local()) && !co_await open(allow_reuse)) co_return std::nullopt;
    Step step = co_await send_request(out);
    if (step == Step::kOk) step = co_await read_head(out);
    if (step == Step::kRetryFresh) {
      drop();
      allow_reuse = false;
      continue;
    }
    if (step == Step::kFailed) {
      drop();
      co_return out;
    }
    break;
  }
  const unsigned status = parser_->status();
  if (status == 101) {
    if (request_.websocket) co_return co_await tunnel();
    fail(Failure::kInvalidResponse);  // a switch the client never asked us to allow
    drop();
    co_return result(Outcome::kInvalidResponse, 502);
  }
  if (std::find(block_.intercepted.begin(), block_.intercepted.end(), status) !=
      block_.intercepted.end()) {
    drop();  // the body is not wanted; closing is cheaper than reading it
    co_return result(Outcome::kIntercepted, status);
  }
  const auto length = parser_->content_length();
  if (!is_head() && !parser_->chunked() && length && *length <= kChunk &&
      !http::status_has_no_body(status)) {
    co_return co_await buffer_response(static_cast<std::size_t>(*length));
  }
  co_return co_await relay_response();
}

template <typename Stream>
asio::awaitable<ForwardResult> Forwarder<Stream>::buffer_response(std::size_t length) {
  http::Response response;
  response.status = parser_->status();
  response.headers = response_headers(upstream_fields(), false);
  response.body.resize(length);
  std::size_t got = 0;
  while (!parser_->is_done()) {
    parser_->set_body_buffer(response.body.data() + got, length - got);
    deadline_->arm(block_.read_timeout);
    auto [ec, n] = co_await http::parser_read_some(*stream_, buffer_, *parser_);
    got += parser_->body_written();
    if (ec == bhttp::error::need_buffer && got == length) ec = bhttp::error::body_limit;
    if (ec && ec != bhttp::error::need_buffer) {
      // Nothing went to the client yet, so the failure still gets a proper gateway answer.
      const bool timeout = deadline_->expired();
      fail(timeout ? Failure::kReadTimeout : Failure::kUpstreamClosed);
      drop();
      co_return result(timeout ? Outcome::kTimeout : Outcome::kUpstreamClosed, timeout ? 504 : 502);
    }
  }
  give_back(parser_->keep_alive() && buffer_.size() == 0);
  ForwardResult out = result(Outcome::kOk, 0);
  out.response = std::move(response);
  co_return out;
}

template <typename Stream>
asio::awaitable<ForwardResult> Forwarder<Stream>::relay_response() {
  http::StreamHead head;
  head.head.status = parser_->status();
  head.head.headers = response_headers(upstream_fields(), false);
  if (!parser_->chunked() && parser_->content_length())
    head.content_length = *parser_->content_length();
  ctx_.finalize(head.head);
  ctx_.rc.status = head.head.status;
  deadline_->cap(Clock::now() + block_.total_timeout);
  if (!co_await ex_.send_head(std::move(head))) {
    drop();
    co_return result(Outcome::kClientClosed, 0);
  }
  buffer_.reserve(kChunk);
  while (!parser_->is_done()) {
    parser_->set_body_buffer(chunk(), kChunk);
    deadline_->arm(block_.read_timeout);
    auto [ec, n] = co_await http::parser_read_some(*stream_, buffer_, *parser_);
    const std::size_t got = parser_->body_written();
    if (ec && ec != bhttp::error::need_buffer) {
      // The head is out: the client can only learn about the failure from a cut connection.
      ex_.close_after();
      const bool timeout = deadline_->expired();
      fail(timeout ? Failure::kReadTimeout : Failure::kUpstreamClosed);
      drop();
      co_return result(timeout ? Outcome::kTimeout : Outcome::kUpstreamClosed, 0);
    }
    if (got == 0) continue;
    ctx_.rc.body_bytes += got;
    if (!co_await ex_.send_data(std::span<const char>(chunk(), got))) {
      drop();
      co_return result(Outcome::kClientClosed, 0);
    }
  }
  if (!co_await ex_.finish()) {
    drop();
    co_return result(Outcome::kClientClosed, 0);
  }
  give_back(parser_->keep_alive() && buffer_.size() == 0);
  co_return result(Outcome::kOk, 0);
}

// RFC 6455 §4.2.2 / RFC 9110 §15.2.2: after the 101 both connections carry WebSocket frames,
// copied verbatim in both directions until either side closes or stays idle for read_timeout.
template <typename Stream>
asio::awaitable<ForwardResult> Forwarder<Stream>::tunnel() {
  http::StreamHead head;
  head.head.status = 101;
  head.head.headers = response_headers(upstream_fields(), true);
  ctx_.finalize(head.head);
  ctx_.rc.status = 101;
  ex_.close_after();
  if (!co_await ex_.send_head(std::move(head))) {
    drop();
    co_return result(Outcome::kClientClosed, 0);
  }
  bool pump_done = false;
  asio::steady_timer signal(ex_.executor(), Clock::time_point::max());
  asio::co_spawn(ex_.executor(), pump_to_upstream(pump_done, signal), [](std::exception_ptr) {});
  // Frames the upstream sent right behind its 101 are already in our buffer.
  bool ok =
      buffer_.size() == 0 || co_await ex_.write_raw(std::span(
                                 static_cast<const char*>(buffer_.data().data()), buffer_.size()));
  buffer_.consume(buffer_.size());
  while (ok) {
    deadline_->arm(block_.read_timeout);
    auto [ec, n] = co_await stream_->async_read_some(asio::buffer(chunk(), kChunk), kTuple);
    if (ec) break;
    ok = co_await ex_.write_raw(std::span<const char>(chunk(), n));
  }
  if (!pump_done) {
    ex_.cancel_raw();
    co_await signal.async_wait(kTuple);
  }
  drop();
  co_return result(Outcome::kWebsocket, 0);
}

template <typename Stream>
asio::awaitable<void> Forwarder<Stream>::pump_to_upstream(bool& done, asio::steady_timer& signal) {
  auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
  while (true) {
    const std::size_t n =
        co_await ex_.read_raw(std::span(buffer.get(), kChunk), block_.read_timeout);
    if (n == 0) break;
    const asio::const_buffer data(buffer.get(), n);
    if (std::get<0>(co_await write_upstream(std::span(&data, 1)))) break;
  }
  done = true;
  error_code ignored;
  socket().cancel(ignored);  // ends the other direction
  signal.cancel();
}

}  // namespace

asio::awaitable<ForwardResult> forward(core::ActionContext& ctx, const ProxyBlock& block,
                                       const ForwardRequest& request) {
  const std::size_t n = block.upstreams.size();
  const std::size_t first = block.next.fetch_add(1, std::memory_order_relaxed) % n;
  bool timed_out = false;
  std::size_t last = first;
  for (std::size_t i = 0; i < n; ++i) {
    last = (first + i) % n;
    ctx.rc.upstream = block.upstreams[last].label;
    if (block.tls) {
      Forwarder<TlsStream> f(ctx, block, request, last);
      if (auto r = co_await f.run()) co_return std::move(*r);
      timed_out = timed_out || f.connect_timed_out();
    } else {
      Forwarder<tcp::socket> f(ctx, block, request, last);
      if (auto r = co_await f.run()) co_return std::move(*r);
      timed_out = timed_out || f.connect_timed_out();
    }
  }
  co_return ForwardResult{timed_out ? Outcome::kTimeout : Outcome::kConnectError, last,
                          timed_out ? 504u : 502u};
}

}  // namespace flux::runtime::proxy
