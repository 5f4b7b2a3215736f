// The downstream HTTP/1.1 connection: Beast's parser for request heads and bodies, our own
// response framing, sendfile(2) for file bodies on plain TCP. This and server.cpp are the only
// translation units that include Beast.
//
// Timeouts use one deadline per connection: every I/O step only stores a new time point, and a
// watchdog coroutine wakes when the deadline passes and cancels the pending operation, so
// keeping timeouts costs no timer re-arm per read or write.

#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/http/connection.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <chrono>
#include <cstring>
#include <optional>

#include "runtime/http/head_parser.hpp"
#include "runtime/http/parser_read.hpp"
#include "runtime/http/response_head.hpp"
#include "runtime/http/server.hpp"
#include "runtime/http/tls_provider.hpp"
#include "runtime/http/uri.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"

namespace flux::runtime::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

// The first read of a request head: most heads fit, and Beast reads on when one does not.
constexpr std::size_t kHeadReadSize = 4096;
// Bytes of the request body read per step when draining an unread body (keep-alive).
constexpr std::size_t kDrainChunk = 16 * 1024;
// Socket read size while a request body streams in.
constexpr std::size_t kBodyReadSize = 64 * 1024;
// An unread body larger than this is not drained; the connection is closed instead.
constexpr std::uint64_t kMaxDrain = 1024 * 1024;
// Minimum body rate is enforced after this warm-up (config-reference.md §1.1).
constexpr auto kRateWarmup = std::chrono::seconds(5);

struct LimitsView {
  std::uint64_t header_bytes = 65536;
  std::uint64_t uri_bytes = 8192;
  std::uint32_t headers = 100;
  std::uint64_t body_bytes = 16 * 1024 * 1024;
  std::chrono::seconds header_timeout{20};
  std::chrono::seconds keepalive_timeout{60};
  std::chrono::seconds body_timeout{60};   // one body read
  std::chrono::seconds write_timeout{60};  // one write making progress
  std::uint64_t min_body_rate = 1024;
};

LimitsView limits_of(const Generation& gen) {
  LimitsView v;
  const auto* l = gen.config().server()->limits();
  if (l == nullptr) return v;
  v.header_bytes = l->max_request_header_bytes();
  v.uri_bytes = l->max_uri_bytes();
  v.headers = l->max_request_headers();
  v.body_bytes = l->max_request_body_bytes();
  v.header_timeout = std::chrono::seconds(l->header_read_timeout_secs());
  v.keepalive_timeout = std::chrono::seconds(l->keepalive_timeout_secs());
  v.body_timeout = std::chrono::seconds(l->body_read_timeout_secs());
  v.write_timeout = v.body_timeout;
  v.min_body_rate = l->min_body_rate_bytes_per_sec();
  return v;
}

Endpoint to_endpoint(const tcp::endpoint& ep) {
  Endpoint out;
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
  }
  out.ip = addr.to_string();
  out.port = ep.port();
  return out;
}

// Maps a Beast parse error on the request head to the status we answer with (0 = just close).
unsigned status_for_head_error(const beast::error_code& ec) {
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (ec.category() != beast::error_code(bhttp::error::end_of_stream).category()) {
    return 0;  // transport errors: nobody left to answer
  }
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::bad_version) return 505;
  return 400;
}

template <typename Stream>
class Connection final : public Exchange,
                         public ConnectionBase,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Connection(Stream stream, ThreadContext& thread, const ListenerInfo& listener,
             metrics::Gauge& active)
      : stream_(std::move(stream)),
        thread_(thread),
        listener_(listener),
        active_(active),
        watchdog_(socket().get_executor()),
        executor_(socket().get_executor()) {}

  ~Connection() override {
    thread_.connections.erase(self_in_list_);
    thread_.open_connections->fetch_sub(1, std::memory_order_relaxed);
    active_.add(-1);
  }

  asio::awaitable<void> run(std::shared_ptr<Connection> self);

  // Exchange
  const Request& request() const override { return req_; }
  void set_client(Endpoint client) override { req_.client = std::move(client); }
  const std::shared_ptr<const Generation>& generation() const override { return gen_; }
  asio::any_io_executor executor() const override { return executor_; }
  void set_body_limit(std::uint64_t limit) override { body_limit_ = limit; }
  void set_body_deadline(Clock::time_point deadline) override { body_deadline_ = deadline; }
  void set_client_timeouts(std::chrono::seconds read, std::chrono::seconds write) override {
    limits_.body_timeout = read;  // limits_ is refreshed for every request
    limits_.write_timeout = write;
  }
  asio::awaitable<BodyRead> read_body(std::span<char> buffer) override;
  bool body_complete() const override { return !req_.has_body() || parser_->is_done(); }
  asio::awaitable<bool> send(Response response) override;
  asio::awaitable<bool> send_head(StreamHead head) override;
  asio::awaitable<bool> send_data(std::span<const char> data) override;
  asio::awaitable<bool> finish() override;
  asio::awaitable<std::size_t> read_raw(std::span<char> buffer, std::chrono::seconds idle) override;
  asio::awaitable<bool> write_raw(std::span<const char> data) override;
  void cancel_raw() override { close_now(); }
  void close_after() override { close_after_ = true; }
  bool response_started() const override { return response_started_; }

  // ConnectionBase
  void close_if_idle() override {
    if (idle_) close_now();
  }
  void close_now() override {
    beast::error_code ec;
    socket().cancel(ec);
    closing_ = true;
  }

  void register_self() {
    thread_.connections.push_front(this);
    self_in_list_ = thread_.connections.begin();
  }

 private:
  tcp::socket& socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }
  // Moving the deadline later is free; moving it earlier re-arms the watchdog timer.
  void arm_at(Clock::time_point deadline) {
    deadline_ = deadline;
    if (deadline_ < timer_expiry_) {
      timer_expiry_ = deadline_;
      watchdog_.expires_at(deadline_);
    }
  }
  void arm(std::chrono::seconds timeout) { arm_at(Clock::now() + timeout); }
  asio::awaitable<void> watchdog(std::shared_ptr<Connection> self);
  asio::awaitable<bool> read_head(const LimitsView& limits, bool first);
  unsigned validate_head(const LimitsView& limits);
  void build_request();
  void reset_request();
  asio::awaitable<void> reject(unsigned status);
  asio::awaitable<bool> drain_body();
  // `more`: a file body follows, so the kernel may hold the head back for the same segment
  // (MSG_MORE; sendfile then pushes both out together).
  asio::awaitable<bool> write_all(std::span<iovec> iov, bool more = false);
  enum class Sent { kAll, kPartial, kFailed };
  Sent send_now(std::span<iovec> iov, bool more);
  asio::awaitable<bool> write_file(const FileBody& file);
  asio::awaitable<bool> send_continue();
  bool keep_alive_after() const {
    return !close_after_ && req_.keep_alive && !closing_ && !thread_.draining->load();
  }

  Stream stream_;
  ThreadContext& thread_;
  const ListenerInfo& listener_;
  metrics::Gauge& active_;
  asio::steady_timer watchdog_;
  asio::any_io_executor executor_;
  std::list<ConnectionBase*>::iterator self_in_list_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point timer_expiry_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool closing_ = false;
  bool idle_ = false;

  beast::flat_buffer buffer_;
  HeadArena arena_;
  std::optional<RequestParser> parser_;
  std::shared_ptr<const Generation> gen_;
  LimitsView limits_;
  Request req_;
  Endpoint peer_;
  Endpoint local_;
  std::string head_;

  // per request
  std::uint64_t body_limit_ = 0;
  std::uint64_t body_read_ = 0;
  Clock::time_point body_deadline_ = Clock::time_point::max();
  Clock::time_point body_started_{};
  bool continue_sent_ = false;
  bool response_started_ = false;
  bool close_after_ = false;
  bool chunked_response_ = false;
};

template <typename Stream>
asio::awaitable<void> Connection<Stream>::watchdog(std::shared_ptr<Connection> /*self*/) {
  while (!closing_) {
    timer_expiry_ = deadline_;
    watchdog_.expires_at(deadline_);
    auto [ec] = co_await watchdog_.async_wait(kTuple);
    if (closing_) co_return;
    if (!ec && Clock::now() >= deadline_) {
      timed_out_ = true;
      beast::error_code ignored;
      socket().cancel(ignored);
      deadline_ = Clock::time_point::max();
    }
  }
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::read_head(const LimitsView& limits, bool first) {
  if (buffer_.size() == 0) {
    // Idle between requests (or before the first byte): keep-alive timeout, then the whole
    // head must arrive within header_read_timeout (slowloris defence, config-reference §1.1).
    // A direct read (not a readiness wait) also works for TLS, where decrypted bytes may
    // already sit in the SSL object, and costs one syscall less per request.
    idle_ = true;
    arm(first ? limits.header_timeout : limits.keepalive_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kHeadReadSize), kTuple);
    idle_ = false;
    if (ec || timed_out_ || closing_) co_return false;
    buffer_.commit(n);
  }
  arm(limits.header_timeout);
  const std::size_t before = buffer_.size();
  auto [ec, n] = co_await parser_read_header(stream_, buffer_, *parser_);
  if (!ec) co_return true;
  const bool got_bytes = before != 0 || n != 0 || buffer_.size() != 0;
  if (timed_out_) {
    timed_out_ = false;
    if (got_bytes) co_await reject(408);
    co_return false;
  }
  if (const unsigned status = status_for_head_error(ec); status != 0) {
    co_await reject(status);
  }
  co_return false;
}

// A fresh Request that keeps the header vector's capacity.
template <typename Stream>
void Connection<Stream>::reset_request() {
  std::vector<Header> headers = std::move(req_.headers);
  headers.clear();
  req_ = Request{};
  req_.headers = std::move(headers);
}

template <typename Stream>
void Connection<Stream>::build_request() {
  reset_request();
  req_.method = parser_->method();
  req_.target = parser_->target();
  req_.version = parser_->version();
  req_.tls = kTls;
  req_.peer = peer_;
  req_.client = peer_;
  req_.local = local_;
  req_.keep_alive = parser_->keep_alive();
  req_.chunked = parser_->chunked();
  if (auto cl = parser_->content_length()) req_.content_length = *cl;
  parser_->headers(req_.headers);
}

// RFC 9112 §3.2, §6.1, §6.3 checks beyond what Beast enforces, and our own limits.
template <typename Stream>
unsigned Connection<Stream>::validate_head(const LimitsView& limits) {
  if (req_.version != 10 && req_.version != 11) return 505;
  if (req_.target.size() > limits.uri_bytes) return 414;
  if (req_.headers.size() > limits.headers) return 431;
  std::uint64_t header_bytes = 0;
  int hosts = 0;
  bool has_te = false;
  bool has_cl = false;
  for (const auto& h : req_.headers) {
    header_bytes += h.name.size() + h.value.size() + 4;
    if (iequals(h.name, "host")) {
      ++hosts;
      req_.host_raw = h.value;
    }
    has_te = has_te || iequals(h.name, "transfer-encoding");
    has_cl = has_cl || iequals(h.name, "content-length");
  }
  if (header_bytes > limits.header_bytes) return 431;
  if (has_te && has_cl) return 400;           // request smuggling: never guess (§6.3)
  if (has_te && !req_.chunked) return 501;    // a transfer coding we do not implement
  if (has_te && req_.version == 10) return 400;
  if (hosts > 1) return 400;
  const auto split = split_target(req_.target);
  if (!split) return 400;  // authority-form and asterisk-form are not served
  req_.path = split->path;
  req_.query = split->query;
  req_.has_query = split->has_query;
  req_.absolute_form = split->absolute_form;
  if (split->absolute_form) req_.host_raw = split->authority;
  if (hosts == 0 && req_.version == 11 && !split->absolute_form) return 400;
  if (!req_.host_raw.empty()) {
    auto host = snapshot::normalize_host(req_.host_raw);
    if (!host) return 400;
    req_.host = std::move(*host);
  }
  return 0;
}

template <typename Stream>
asio::awaitable<void> Connection<Stream>::reject(unsigned status) {
  close_after_ = true;
  thread_.handler->on_rejected(req_, status);
  co_await send(generated_error(status));
}

template <typename Stream>
asio::awaitable<void> Connection<Stream>::run(std::shared_ptr<Connection> self) {
  beast::error_code ec;
  peer_ = to_endpoint(socket().remote_endpoint(ec));
  local_ = to_endpoint(socket().local_endpoint(ec));
  socket().set_option(tcp::no_delay(true), ec);
  socket().non_blocking(true, ec);
  asio::co_spawn(watchdog_.get_executor(), watchdog(self), asio::detached);
  bool first = true;
  if constexpr (kTls) {
    gen_ = thread_.generations->current();
    arm(limits_of(*gen_).header_timeout);
    auto [hs] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (hs || timed_out_) {
      closing_ = true;
      watchdog_.cancel();
      co_return;
    }
  }
  while (!closing_) {
    gen_ = thread_.generations->current();
    limits_ = limits_of(*gen_);
    parser_.emplace(arena_);
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::uint64_t>(limits_.header_bytes + limits_.uri_bytes, 0xffffffffu)));
    parser_->body_limit(boost::none);
    body_limit_ = limits_.body_bytes;
    body_read_ = 0;
    body_deadline_ = Clock::time_point::max();
    continue_sent_ = response_started_ = close_after_ = false;
    reset_request();
    if (!co_await read_head(limits_, first)) break;
    first = false;
    build_request();
    if (const unsigned status = validate_head(limits_); status != 0) {
      co_await reject(status);
      break;
    }
    co_await thread_.handler->handle(*this);
    if (!response_started_) co_await send(generated_error(500));
    gen_.reset();  // an idle keep-alive connection must not pin an old generation
    if (!keep_alive_after() || closing_) break;
    if (!body_complete() && !co_await drain_body()) break;
  }
  closing_ = true;
  watchdog_.cancel();
  if constexpr (kTls) {
    arm(std::chrono::seconds(1));
    co_await stream_.async_shutdown(kTuple);
  }
  socket().shutdown(tcp::socket::shutdown_send, ec);
  socket().close(ec);
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::send_continue() {
  continue_sent_ = true;
  static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
  iovec iov{const_cast<char*>(kContinue), sizeof kContinue - 1};
  co_return co_await write_all(std::span<iovec>(&iov, 1));
}

template <typename Stream>
asio::awaitable<BodyRead> Connection<Stream>::read_body(std::span<char> buffer) {
  if (!req_.has_body() || parser_->is_done()) co_return BodyRead{BodyStatus::kEnd, 0};
  if (body_read_ == 0 && !continue_sent_) {
    // php-behaviour.md §6: a declared length over the limit is refused before reading, and
    // "100 Continue" is sent only when the declared length is within the limit.
    if (req_.content_length && *req_.content_length > body_limit_) {
      co_return BodyRead{BodyStatus::kTooLarge, 0};
    }
    body_started_ = Clock::now();
    const auto* expect = req_.find("expect");
    if (expect != nullptr && iequals(expect->value, "100-continue") && req_.version == 11 &&
        !co_await send_continue()) {
      co_return BodyRead{BodyStatus::kClosed, 0};
    }
    continue_sent_ = true;
  }
  // Beast sizes each socket read by the flat buffer's free capacity (512 bytes when it was
  // never grown), so bodies would otherwise arrive in 512-byte reads.
  if (buffer_.capacity() < kBodyReadSize) buffer_.reserve(kBodyReadSize);
  parser_->set_body_buffer(buffer.data(), buffer.size());
  arm_at(std::min(Clock::now() + limits_.body_timeout, body_deadline_));
  auto [ec, n] = co_await parser_read_some(stream_, buffer_, *parser_);
  const std::size_t got = parser_->body_written();
  if (timed_out_) {
    timed_out_ = false;
    co_return BodyRead{BodyStatus::kTimeout, 0};
  }
  if (ec && ec != bhttp::error::need_buffer) {
    if (ec == bhttp::error::partial_message || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      co_return BodyRead{BodyStatus::kClosed, 0};
    }
    co_return BodyRead{BodyStatus::kMalformed, 0};
  }
  body_read_ += got;
  if (body_read_ > body_limit_) co_return BodyRead{BodyStatus::kTooLarge, 0};
  const auto elapsed = Clock::now() - body_started_;
  if (limits_.min_body_rate != 0 && elapsed > kRateWarmup) {
    const double secs = std::chrono::duration<double>(elapsed).count();
    if (static_cast<double>(body_read_) / secs < static_cast<double>(limits_.min_body_rate)) {
      co_return BodyRead{BodyStatus::kTimeout, 0};
    }
  }
  if (got == 0 && parser_->is_done()) co_return BodyRead{BodyStatus::kEnd, 0};
  co_return BodyRead{BodyStatus::kData, got};
}

// An unread body is drained (bounded) so the connection can be reused; else we close.
template <typename Stream>
asio::awaitable<bool> Connection<Stream>::drain_body() {
  if (req_.content_length && *req_.content_length - body_read_ > kMaxDrain) co_return false;
  char scratch[kDrainChunk];
  body_limit_ = body_read_ + kMaxDrain;
  continue_sent_ = true;  // never invite a body we are only going to throw away
  while (true) {
    const BodyRead r = co_await read_body(scratch);
    if (r.status == BodyStatus::kEnd) co_return true;
    if (r.status != BodyStatus::kData) co_return false;
  }
}

// One non-blocking sendmsg before any coroutine gets involved: a response that fits the socket
// buffer (nearly every one) leaves without write_all's frame. Advances `iov` past what went out.
template <typename Stream>
typename Connection<Stream>::Sent Connection<Stream>::send_now(std::span<iovec> iov, bool more) {
  if constexpr (kTls) {
    return Sent::kPartial;  // TLS records are written by the stream
  } else {
    msghdr msg{};
    msg.msg_iov = iov.data();
    msg.msg_iovlen = std::min<std::size_t>(iov.size(), 64);
    const ssize_t n = ::sendmsg(socket().native_handle(), &msg, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
    if (n < 0) return errno == EAGAIN || errno == EINTR ? Sent::kPartial : Sent::kFailed;
    auto left = static_cast<std::size_t>(n);
    bool all = true;
    for (auto& v : iov) {
      const std::size_t take = std::min(left, v.iov_len);
      v.iov_base = static_cast<char*>(v.iov_base) + take;
      v.iov_len -= take;
      left -= take;
      all = all && v.iov_len == 0;
    }
    return all ? Sent::kAll : Sent::kPartial;
  }
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::write_all(std::span<iovec> iov, bool more) {
  std::size_t index = 0;
  while (index < iov.size()) {
    if (iov[index].iov_len == 0) {
      ++index;
      continue;
    }
    arm(limits_.write_timeout);
    if constexpr (kTls) {
      auto [ec, n] = co_await asio::async_write(
          stream_, asio::buffer(iov[index].iov_base, iov[index].iov_len), kTuple);
      if (ec) co_return false;
      ++index;
    } else {
      msghdr msg{};
      msg.msg_iov = &iov[index];
      msg.msg_iovlen = std::min<std::size_t>(iov.size() - index, 64);
      const ssize_t n = ::sendmsg(socket().native_handle(), &msg, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) co_return false;
        auto [ec] = co_await socket().async_wait(tcp::socket::wait_write, kTuple);
        if (ec || timed_out_) co_return false;
        continue;
      }
      auto left = static_cast<std::size_t>(n);
      while (left > 0 && index < iov.size()) {
        const std::size_t take = std::min(left, iov[index].iov_len);
        iov[index].iov_base = static_cast<char*>(iov[index].iov_base) + take;
        iov[index].iov_len -= take;
        left -= take;
        if (iov[index].iov_len == 0) ++index;
      }
    }
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::write_file(const FileBody& file) {
  off_t offset = static_cast<off_t>(file.offset());
  std::uint64_t left = file.length();
  if constexpr (kTls) {
    constexpr std::size_t kChunk = 64 * 1024;
    const std::unique_ptr<char[]> chunk(new char[kChunk]);  // no zero fill: pread overwrites it
    while (left > 0) {
      const ssize_t n = ::pread(file.fd(), chunk.get(), std::min<std::uint64_t>(left, kChunk), offset);
      if (n <= 0) co_return false;
      iovec iov{chunk.get(), static_cast<std::size_t>(n)};
      if (!co_await write_all(std::span<iovec>(&iov, 1))) co_return false;
      offset += n;
      left -= static_cast<std::uint64_t>(n);
    }
  } else {
    while (left > 0) {
      arm(limits_.write_timeout);
      const ssize_t n = ::sendfile(socket().native_handle(), file.fd(), &offset,
                                   std::min<std::uint64_t>(left, 1u << 30));
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) co_return false;
        auto [ec] = co_await socket().async_wait(tcp::socket::wait_write, kTuple);
        if (ec || timed_out_) co_return false;
        continue;
      }
      if (n == 0) co_return false;  // the file shrank under us: the framing is now wrong
      left -= static_cast<std::uint64_t>(n);
    }
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::send(Response response) {
  response_started_ = true;
  if (response.close || !body_complete()) close_after_ = true;
  ResponseFraming framing;
  framing.version = req_.version;
  framing.keep_alive = keep_alive_after();
  framing.head_request = response.omit_body || req_.method == "HEAD";
  framing.content_length = response.body_length();
  head_.clear();
  serialize_head(response, framing, head_);
  const bool send_body = !framing.head_request && !status_has_no_body(response.status);
  iovec iov[2] = {{head_.data(), head_.size()}, {response.body.data(), 0}};
  const bool from_file = send_body && response.file.present() && !response.file.has_memory();
  if (send_body && !response.file.present()) iov[1].iov_len = response.body.size();
  if (send_body && response.file.has_memory()) {
    const std::string_view bytes = response.file.in_memory();
    iov[1] = {const_cast<char*>(bytes.data()), bytes.size()};
  }
  const bool more = from_file && response.file.length() != 0;
  const Sent sent = send_now(iov, more);
  if (sent == Sent::kFailed || (sent == Sent::kPartial && !co_await write_all(iov, more))) {
    closing_ = true;
    co_return false;
  }
  if (from_file && !co_await write_file(response.file)) {
    closing_ = true;
    co_return false;
  }
  if (!framing.keep_alive) close_after_ = true;
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::send_head(StreamHead head) {
  response_started_ = true;
  if (head.head.close || !body_complete()) close_after_ = true;
  ResponseFraming framing;
  framing.version = req_.version;
  framing.head_request = req_.method == "HEAD";
  framing.content_length = head.content_length;
  chunked_response_ = !head.content_length && !framing.head_request &&
                      !status_has_no_body(head.head.status);
  if (chunked_response_ && req_.version == 10) close_after_ = true;  // close-delimited
  framing.keep_alive = keep_alive_after();
  framing.chunked = chunked_response_ && req_.version == 11;
  head_.clear();
  serialize_head(head.head, framing, head_);
  iovec iov{head_.data(), head_.size()};
  if (!co_await write_all(std::span<iovec>(&iov, 1))) {
    closing_ = true;
    co_return false;
  }
  if (!framing.keep_alive) close_after_ = true;
  chunked_response_ = framing.chunked;
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::send_data(std::span<const char> data) {
  if (data.empty() || req_.method == "HEAD") co_return true;
  char size_line[24];
  iovec iov[3];
  std::size_t count = 0;
  if (chunked_response_) {  // RFC 9112 §7.1
    const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
    iov[count++] = {size_line, static_cast<std::size_t>(len)};
  }
  iov[count++] = {const_cast<char*>(data.data()), data.size()};
  if (chunked_response_) iov[count++] = {const_cast<char*>("\r\n"), 2};
  if (!co_await write_all(std::span<iovec>(iov, count))) {
    closing_ = true;
    co_return false;
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::finish() {
  if (!chunked_response_ || req_.method == "HEAD") co_return true;
  iovec iov{const_cast<char*>("0\r\n\r\n"), 5};
  if (!co_await write_all(std::span<iovec>(&iov, 1))) {
    closing_ = true;
    co_return false;
  }
  co_return true;
}

// Bytes the head parser read past the upgrade request belong to the new protocol: they are
// handed out first.
template <typename Stream>
asio::awaitable<std::size_t> Connection<Stream>::read_raw(std::span<char> buffer,
                                                          std::chrono::seconds idle) {
  close_after_ = true;
  if (buffer_.size() != 0) {
    const std::size_t n = asio::buffer_copy(asio::buffer(buffer.data(), buffer.size()), buffer_.data());
    buffer_.consume(n);
    co_return n;
  }
  arm(idle);
  auto [ec, n] = co_await stream_.async_read_some(asio::buffer(buffer.data(), buffer.size()), kTuple);
  if (ec || timed_out_) co_return 0;
  co_return n;
}

template <typename Stream>
asio::awaitable<bool> Connection<Stream>::write_raw(std::span<const char> data) {
  close_after_ = true;
  iovec iov{const_cast<char*>(data.data()), data.size()};
  if (!co_await write_all(std::span<iovec>(&iov, 1))) {
    closing_ = true;
    co_return false;
  }
  co_return true;
}

}  // namespace

void start_connection(tcp::socket socket, ThreadContext& thread, const ListenerInfo& listener,
                      metrics::Gauge& active) {
  thread.open_connections->fetch_add(1, std::memory_order_relaxed);
  active.add(1);
  auto tls_context = listener.tls && thread.tls != nullptr ? thread.tls->context() : nullptr;
  if (tls_context != nullptr) {
    using TlsStream = asio::ssl::stream<tcp::socket>;
    auto conn = std::make_shared<Connection<TlsStream>>(
        TlsStream(std::move(socket), *tls_context), thread, listener, active);
    conn->register_self();
    auto exec = conn->executor();
    asio::co_spawn(exec, conn->run(conn), asio::detached);
    return;
  }
  auto conn = std::make_shared<Connection<tcp::socket>>(std::move(socket), thread, listener, active);
  conn->register_self();
  auto exec = conn->executor();
  asio::co_spawn(exec, conn->run(conn), asio::detached);
}

}  // namespace flux::runtime::http
