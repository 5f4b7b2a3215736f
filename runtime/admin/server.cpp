#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/admin/server.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "runtime/log/logger.hpp"

namespace flux::runtime::admin {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr std::size_t kMaxConnections = 16;  // an operator's tool, not a public service
constexpr auto kIdleTimeout = std::chrono::seconds(30);

Result<tcp::endpoint> loopback_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return make_error("missing port");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return make_error("invalid address");
  unsigned port = 0;
  const char* end = text.data() + text.size();
  if (std::from_chars(text.data() + colon + 1, end, port).ptr != end || port > 65535) {
    return make_error("invalid port");
  }
  // config-reference.md §6: checked by fluxc too, and again here (the snapshot is untrusted).
  if (!addr.is_loopback())
    return make_error("admin listener must be a unix socket or a loopback address");
  return tcp::endpoint(addr, static_cast<std::uint16_t>(port));
}

// §6: the parent of the socket must not be group/world-writable (another user could replace
// the socket), and a leftover socket is removed only when nobody listens on it any more.
Result<void> prepare_socket_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string parent = slash == 0 ? "/" : path.substr(0, slash);
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error("parent directory " + parent + " does not exist");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return make_error("parent directory " + parent + " is group/world-writable");
  }
  if (::lstat(path.c_str(), &st) != 0) return {};
  if (!S_ISSOCK(st.st_mode)) return make_error("exists and is not a socket");
  asio::io_context probe_ctx;
  unix_socket::socket probe(probe_ctx);
  boost::system::error_code ec;
  probe.connect(unix_socket::endpoint(path), ec);
  if (!ec) return make_error("another process is listening on it");
  if (::unlink(path.c_str()) != 0)
    return make_error(std::string("cannot remove stale socket: ") + std::strerror(errno));
  return {};
}

}  // namespace

struct AdminServer::Impl {
  std::string listen;
  std::string token;
  Backend backend;
  asio::io_context ctx{1};
  std::optional<tcp::acceptor> tcp_acceptor;
  std::optional<unix_socket::acceptor> unix_acceptor;
  std::string socket_path;   // set once we created the socket file
  std::size_t sessions = 0;  // touched only on the admin thread

  Result<void> bind_unix(const std::string& path);
  Result<void> bind_tcp(const std::string& address);
  template <typename Acceptor>
  asio::awaitable<void> accept_loop(Acceptor& acceptor);
  template <typename Protocol>
  asio::awaitable<void> session(typename Protocol::socket socket);
  bhttp::response<bhttp::string_body> answer(const bhttp::request<bhttp::string_body>& req);
};

Result<void> AdminServer::Impl::bind_unix(const std::string& path) {
  if (auto r = prepare_socket_path(path); !r) return r;
  boost::system::error_code ec;
  unix_acceptor.emplace(ctx);
  unix_acceptor->open(unix_socket(), ec);
  if (!ec) unix_acceptor->bind(unix_socket::endpoint(path), ec);
  if (ec) return make_error(ec.message());
  socket_path = path;
  // The socket file is created with the umask's mode; it becomes 0600 before anyone can be
  // accepted (listen() has not run yet), and the bearer token is required anyway.
  if (::chmod(path.c_str(), 0600) != 0)
    return make_error(std::string("chmod: ") + std::strerror(errno));
  unix_acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(ec.message());
  return {};
}

Result<void> AdminServer::Impl::bind_tcp(const std::string& address) {
  auto ep = loopback_endpoint(address);
  if (!ep) return ep.error();
  boost::system::error_code ec;
  tcp_acceptor.emplace(ctx);
  tcp_acceptor->open(ep->protocol(), ec);
  if (!ec) tcp_acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) tcp_acceptor->bind(*ep, ec);
  if (!ec) tcp_acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(ec.message());
  return {};
}

template <typename Acceptor>
asio::awaitable<void> AdminServer::Impl::accept_loop(Acceptor& acceptor) {
  using Protocol = typename Acceptor::protocol_type;
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;
    if (sessions >= kMaxConnections) continue;  // the socket closes as it goes out of scope
    ++sessions;
    asio::co_spawn(ctx, session<Protocol>(std::move(socket)), asio::detached);
  }
}

bhttp::response<bhttp::string_body> AdminServer::Impl::answer(
    const bhttp::request<bhttp::string_body>& req) {
  ApiRequest api;
  api.method = req.method_string();
  api.target = req.target();
  if (const auto it = req.find(bhttp::field::authorization); it != req.end()) {
    api.authorization = it->value();
  }
  api.body = req.body();
  const ApiResponse r = handle_request(api, token, backend);
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), req.version()};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  if (!r.allow.empty()) res.set(bhttp::field::allow, r.allow);
  if (r.unauthorized) res.set(bhttp::field::www_authenticate, "Bearer");
  res.body() = r.body;
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

template <typename Protocol>
asio::awaitable<void> AdminServer::Impl::session(typename Protocol::socket socket) {
  beast::basic_stream<Protocol> stream(std::move(socket));
  beast::flat_buffer buffer;
  while (true) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    stream.expires_after(kIdleTimeout);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (ec) {
      // cli.md §6.3: bodies over 64KiB are refused; anything unparsable is a 400.
      // A client that just goes away (or idles out) gets no answer.
      const bool malformed =
          ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
          ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
      const unsigned status = ec == bhttp::error::body_limit     ? 413
                              : ec == bhttp::error::header_limit ? 431
                              : malformed                        ? 400
                                                                 : 0;
      if (status != 0) {
        ApiResponse e = error_response(status, status == 413 ? "payload too large" : "bad request");
        bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
        res.set(bhttp::field::content_type, "application/json");
        res.body() = e.body;
        res.keep_alive(false);
        res.prepare_payload();
        co_await bhttp::async_write(stream, res, kTuple);
      }
      break;
    }
    auto res = answer(parser.get());
    const bool keep = res.keep_alive();
    auto [wec, written] = co_await bhttp::async_write(stream, res, kTuple);
    if (wec || !keep) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::socket_base::shutdown_both, ignored);
  --sessions;
}

AdminServer::AdminServer(std::string listen, std::string token, Backend backend)
    : impl_(std::make_unique<Impl>()) {
  impl_->listen = std::move(listen);
  impl_->token = std::move(token);
  impl_->backend = std::move(backend);
}

AdminServer::~AdminServer() {
  if (!impl_->socket_path.empty()) ::unlink(impl_->socket_path.c_str());
}

Result<void> AdminServer::bind() {
  const std::string& listen = impl_->listen;
  auto r =
      listen.starts_with("unix:") ? impl_->bind_unix(listen.substr(5)) : impl_->bind_tcp(listen);
  if (!r) return make_error("cannot bind admin listener " + listen + ": " + r.error().message);
  return {};
}

void AdminServer::run() {
  if (impl_->unix_acceptor) {
    asio::co_spawn(impl_->ctx, impl_->accept_loop(*impl_->unix_acceptor), asio::detached);
  } else if (impl_->tcp_acceptor) {
    asio::co_spawn(impl_->ctx, impl_->accept_loop(*impl_->tcp_acceptor), asio::detached);
  }
  impl_->ctx.run();
}

void AdminServer::stop() { impl_->ctx.stop(); }

}  // namespace flux::runtime::admin
