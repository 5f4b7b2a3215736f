#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/fastcgi/client/client.hpp"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <tuple>

#include "runtime/fastcgi/codec/decoder.hpp"
#include "runtime/metrics/registry.hpp"

namespace flux::runtime::fastcgi {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Socket = asio::generic::stream_protocol::socket;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kSpoolChunk = 64 * 1024;  // php-behaviour.md §6: replayed in <= 64KiB

// A socket with a deadline: when the deadline passes the pending operation is cancelled and
// `expired` is set. The timer handler keeps the state alive until it has run.
struct Guarded {
  explicit Guarded(asio::any_io_executor ex) : socket(ex), timer(ex) {}
  Socket socket;
  asio::steady_timer timer;
  bool expired = false;
};

void arm(const std::shared_ptr<Guarded>& g, Clock::time_point deadline) {
  g->timer.expires_at(deadline);
  g->timer.async_wait([g](const boost::system::error_code& ec) {
    if (ec) return;
    g->expired = true;
    boost::system::error_code ignored;
    g->socket.cancel(ignored);
  });
}

// php-behaviour.md §8.4: transport failures that may be retried (before any response byte).
bool retryable_transport(const boost::system::error_code& ec) {
  if (ec == asio::error::eof) return true;  // EOF before the first record
  return ec.category() == boost::system::system_category() && php::is_retryable_errno(ec.value());
}

asio::awaitable<boost::system::error_code> connect(const std::shared_ptr<Guarded>& g,
                                                   const Endpoint& ep) {
  if (ep.kind == Endpoint::Kind::kUnix) {
    const asio::local::stream_protocol::endpoint local(ep.path);
    const asio::generic::stream_protocol::endpoint generic(local);
    g->socket.open(generic.protocol());
    auto [ec] = co_await g->socket.async_connect(generic, kTuple);
    co_return ec;
  }
  asio::ip::tcp::resolver resolver(g->socket.get_executor());
  auto [rec, results] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kTuple);
  if (rec) co_return rec;
  boost::system::error_code last = asio::error::host_not_found;
  for (const auto& entry : results) {
    const asio::generic::stream_protocol::endpoint generic(entry.endpoint());
    boost::system::error_code ignored;
    if (g->socket.is_open()) g->socket.close(ignored);
    g->socket.open(generic.protocol());
    auto [ec] = co_await g->socket.async_connect(generic, kTuple);
    if (!ec) {
      const int one = 1;
      ::setsockopt(g->socket.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      co_return ec;
    }
    last = ec;
    if (g->expired) break;
  }
  co_return last;
}

// A 64 KiB read buffer from a per-thread free list. Allocating and freeing one per exchange made
// glibc trim its thread arena (madvise) every few requests; a buffer is never shared by two
// pending reads because each exchange holds its own until it ends. Uninitialized on purpose:
// zero-filling 64 KiB per exchange cost more than the rest of the request together.
class ReadBuffer {
 public:
  ReadBuffer() {
    auto& free = free_list();
    if (free.empty()) {
      bytes_.reset(new char[kReadChunk]);
    } else {
      bytes_ = std::move(free.back());
      free.pop_back();
    }
  }
  ~ReadBuffer() {
    auto& free = free_list();
    if (free.size() < kMaxFree) free.push_back(std::move(bytes_));
  }
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;
  char* data() const { return bytes_.get(); }

 private:
  static constexpr std::size_t kMaxFree = 16;
  static std::vector<std::unique_ptr<char[]>>& free_list() {
    thread_local std::vector<std::unique_ptr<char[]>> free;
    return free;
  }
  std::unique_ptr<char[]> bytes_;
};

// Writes the STDIN stream of a spooled body, chunk by chunk, with positional reads.
asio::awaitable<boost::system::error_code> write_spooled_body(Socket& socket, const BodySource& body) {
  const std::unique_ptr<char[]> chunk(new char[kSpoolChunk]);
  std::string records;
  std::uint64_t offset = 0;
  while (offset < body.length) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kSpoolChunk, body.length - offset));
    const ssize_t n = ::pread(body.spool_fd, chunk.get(), want, static_cast<off_t>(offset));
    if (n <= 0) co_return boost::system::errc::make_error_code(boost::system::errc::io_error);
    records.clear();
    append_stdin_data(records, std::string_view(chunk.get(), static_cast<std::size_t>(n)), kMaxContentLength);
    auto [ec, written] = co_await asio::async_write(socket, asio::buffer(records), kTuple);
    if (ec) co_return ec;
    offset += static_cast<std::uint64_t>(n);
  }
  records.clear();
  append_end_of_stdin(records);
  auto [ec, written] = co_await asio::async_write(socket, asio::buffer(records), kTuple);
  co_return ec;
}

}  // namespace

std::string_view outcome_label(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kConnectTimeout: return "connect_timeout";
    case Outcome::kRequestTimeout: return "request_timeout";
    case Outcome::kConnectionError: return "connection_error";
    case Outcome::kInvalidResponse: return "invalid_response";
    case Outcome::kFpmError: return "fpm_error";
    case Outcome::kConfigurationError: return "configuration_error";
    case Outcome::kBusy: return "busy";
  }
  return "fpm_error";
}

Client::Client(std::vector<Endpoint> endpoints, PoolOptions pool, php::RetryConfig retry,
               Timeouts timeouts, std::uint64_t max_response_bytes, std::string pool_prefix,
               std::string vhost, std::string scope, metrics::Registry& metrics)
    : endpoints_(std::move(endpoints)),
      retry_(std::move(retry)),
      timeouts_(timeouts),
      max_response_bytes_(max_response_bytes),
      keepalive_(pool.keepalive),
      vhost_(std::move(vhost)),
      scope_(std::move(scope)),
      metrics_(metrics) {
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    pools_.push_back(std::make_shared<Pool>(pool, pool_prefix + "/" + std::to_string(i), metrics));
  }
}

Client::~Client() = default;

void Client::retire() {
  for (auto& p : pools_) p->retire();
}

void Client::count_retry(std::string_view reason) {
  const metrics::Label labels[] = {{"vhost", vhost_}, {"scope", scope_}, {"reason", reason}};
  metrics_.counter("fluxheim_php_fpm_retries_total", "php-fpm retry attempts by reason.", labels).inc();
}

asio::awaitable<ExchangeResult> Client::attempt_once(asio::any_io_executor executor,
                                                     std::size_t index, const std::string& head,
                                                     const BodySource& body,
                                                     Clock::time_point queue_deadline,
                                                     bool fresh_only, php::AttemptReport& report,
                                                     bool& stale) {
  ExchangeResult r;
  r.endpoint = index;
  stale = false;
  report = {};
  Pool& pool = *pools_[index];
  Lease lease = co_await pool.acquire(executor, queue_deadline);
  if (lease.kind == Lease::Kind::kTimeout || lease.kind == Lease::Kind::kClosed) {
    r.outcome = Outcome::kBusy;
    r.detail = "no php-fpm connection became free in time";
    co_return r;
  }
  auto g = std::make_shared<Guarded>(executor);
  const bool reused = lease.kind == Lease::Kind::kReused && !fresh_only;
  if (lease.kind == Lease::Kind::kReused && fresh_only) ::close(lease.fd);
  const auto start = Clock::now();
  if (reused) {
    // The protocol object only records the family for endpoint handling; reads and writes on an
    // assigned descriptor do not depend on it, so no getsockopt(SO_DOMAIN) is needed.
    const int domain = endpoints_[index].kind == Endpoint::Kind::kUnix ? AF_UNIX : AF_INET;
    boost::system::error_code ec;
    g->socket.assign(asio::generic::stream_protocol(domain, SOCK_STREAM), lease.fd, ec);
  } else {
    arm(g, start + timeouts_.connect);
    const auto ec = co_await connect(g, endpoints_[index]);
    g->timer.cancel();
    if (ec || g->expired) {
      boost::system::error_code ignored;
      g->socket.close(ignored);
      pool.release(-1, false);
      r.outcome = g->expired ? Outcome::kConnectTimeout : Outcome::kConnectionError;
      r.detail = g->expired ? "connect timed out" : "connect failed: " + ec.message();
      report.result = g->expired ? php::AttemptResult::kConnectTimeout
                                 : retryable_transport(ec) ? php::AttemptResult::kConnectionError
                                                           : php::AttemptResult::kFpmError;
      co_return r;
    }
    pool.count(Pool::Event::kConnect);
  }
  g->expired = false;
  arm(g, Clock::now() + timeouts_.exchange);
  bool got_bytes = false;
  boost::system::error_code ec;
  std::tie(ec, std::ignore) = co_await asio::async_write(g->socket, asio::buffer(head), kTuple);
  if (!ec && body.spool_fd >= 0) ec = co_await write_spooled_body(g->socket, body);
  const bool failed_on_write = static_cast<bool>(ec);
  RecordDecoder decoder({max_response_bytes_});
  const ReadBuffer buffer;
  bool leftover = false;
  while (!ec && !decoder.finished()) {
    auto [rec, n] = co_await g->socket.async_read_some(asio::buffer(buffer.data(), kReadChunk), kTuple);
    if (rec) {
      ec = rec;
      break;
    }
    got_bytes = true;
    std::string_view input(buffer.data(), n);
    for (bool more = true; more;) {
      const DecodeEvent ev = decoder.next(input);
      switch (ev.kind) {
        case EventKind::kNeedMore: more = false; break;
        case EventKind::kStdout: r.stdout_data.append(ev.data); break;
        case EventKind::kStderr: r.stderr_data.append(ev.data); break;
        case EventKind::kEndRequest:
          r.end = ev.end;
          leftover = !input.empty();
          more = false;
          break;
        case EventKind::kError:
          g->timer.cancel();
          g->socket.close(ec);
          pool.release(-1, false);
          r.outcome = Outcome::kInvalidResponse;
          report = {php::AttemptResult::kInvalidResponse, true, 0};
          r.detail = ev.error == DecodeError::kResponseTooLarge
                         ? "php-fpm response exceeds maximum buffered size"
                         : "invalid FastCGI record: " + std::string(to_string(ev.error));
          co_return r;
      }
    }
  }
  g->timer.cancel();
  if (!decoder.finished()) {
    boost::system::error_code ignored;
    g->socket.close(ignored);
    pool.release(-1, false);
    report.response_bytes_received = got_bytes;
    if (g->expired) {
      r.outcome = Outcome::kRequestTimeout;
      report.result = php::AttemptResult::kRequestTimeout;
      r.detail = "php-fpm did not answer within the request timeout";
    } else if (!got_bytes && retryable_transport(ec)) {
      // §8.4: a pooled connection that fails before any response byte was closed by php-fpm
      // (pm.max_requests, restart) without processing the request.
      stale = php::stale_connection_retry(reused, fresh_only, failed_on_write, true);
      r.outcome = Outcome::kConnectionError;
      report.result = php::AttemptResult::kConnectionError;
      r.detail = "php-fpm connection failed: " + ec.message();
    } else {
      r.outcome = Outcome::kFpmError;
      report.result = php::AttemptResult::kFpmError;
      r.detail = "php-fpm connection failed mid-response: " + ec.message();
    }
    co_return r;
  }
  const bool reusable = keepalive_ && !leftover && r.end.complete();
  if (reusable) {
    boost::system::error_code rel;
    pool.release(g->socket.release(rel), true);
  } else {
    boost::system::error_code ignored;
    g->socket.close(ignored);
    pool.release(-1, false);
  }
  report.response_bytes_received = true;
  report.result = php::classify_end_request(r.end);
  if (report.result == php::AttemptResult::kConnectionError) {
    r.outcome = Outcome::kConnectionError;  // §8.1: OVERLOADED counts as connection_error
    report.response_bytes_received = false;
    r.detail = "php-fpm is overloaded";
  } else if (report.result != php::AttemptResult::kResponse) {
    r.outcome = Outcome::kInvalidResponse;
    r.detail = "php-fpm refused the request (protocol status " +
               std::to_string(r.end.protocol_status) + ")";
  } else {
    r.outcome = Outcome::kOk;
  }
  co_return r;
}

asio::awaitable<ExchangeResult> Client::execute(asio::any_io_executor executor,
                                                std::span<const NameValue> params,
                                                const BodySource& body, std::string_view method,
                                                Clock::time_point queue_deadline,
                                                const ResponseCheck& check) {
  ExchangeResult result;
  if (endpoints_.empty()) {
    result.outcome = Outcome::kConfigurationError;
    result.detail = "no php-fpm endpoint configured";
    co_return result;
  }
  std::string head;
  append_begin_request(head, keepalive_);
  if (append_params(head, params, kMaxContentLength) != EncodeError::kNone) {
    result.outcome = Outcome::kConfigurationError;
    result.detail = "FastCGI params could not be encoded";
    co_return result;
  }
  if (body.spool_fd < 0) {
    append_stdin_data(head, body.memory, kMaxContentLength);
    append_end_of_stdin(head);
  }
  const std::size_t n = endpoints_.size();
  const std::uint32_t budget = php::attempt_budget(method, retry_);
  const std::size_t start = round_robin_.fetch_add(1, std::memory_order_relaxed);
  const auto first_attempt = Clock::now();
  for (std::uint32_t k = 0;; ++k) {
    const std::size_t index = (start + k) % n;
    bool stale = false;
    php::AttemptReport report;
    result = co_await attempt_once(executor, index, head, body, queue_deadline, false, report, stale);
    if (stale) {
      pools_[index]->count(Pool::Event::kStaleRetry);
      count_retry("stale_connection");
      result = co_await attempt_once(executor, index, head, body, queue_deadline, true, report, stale);
    }
    result.attempts = k + 1;
    if (result.outcome == Outcome::kOk) {
      const Verdict v = check(result);
      report.status = static_cast<std::uint16_t>(v.status);
      if (v.invalid) {
        result.outcome = Outcome::kInvalidResponse;
        result.detail = v.reason;
        report.result = php::AttemptResult::kInvalidResponse;
      }
    }
    const php::RetryReason reason =
        php::retry_decision(report, budget, k, Clock::now() - first_attempt, retry_);
    if (reason == php::RetryReason::kNone) co_return result;
    count_retry(php::to_string(reason));
  }
}

}  // namespace flux::runtime::fastcgi
