#pragma once
// The HTTP/1.1 server: one io_context per thread, each with its own SO_REUSEPORT acceptor per
// listener, so the kernel spreads connections and no lock is shared on the accept path.
// Beast and Asio stay behind this interface (server.cpp, connection.cpp).

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

#include "runtime/http/exchange.hpp"
#include "snapshot/result.hpp"

namespace flux::runtime {
class GenerationHolder;
}
namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::http {

// What the dispatcher implements. `handle` must send exactly one response (or leave the
// connection to send a 500 if it returns without one).
class Handler {
 public:
  virtual ~Handler() = default;
  virtual boost::asio::awaitable<void> handle(Exchange& exchange) = 0;
  // A request the connection answered itself before routing (malformed, limits, timeouts).
  virtual void on_rejected(const Request& partial, unsigned status) = 0;
};

struct ListenerSpec {
  std::string address;  // "ip:port" or "[v6]:port"
  bool tls = false;
};

// Per-connection TLS, provided by runtime/tls (nullptr = no TLS listeners).
class TlsProvider;

class Server {
 public:
  Server(std::vector<ListenerSpec> listeners, unsigned threads, GenerationHolder& generations,
         Handler& handler, metrics::Registry& metrics, TlsProvider* tls);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every listener on every thread. Error text names the address.
  Result<void> bind();
  // Runs the I/O threads; returns when they have all stopped.
  void run();
  // Shutdown steps (php-behaviour.md §15), called from the control thread:
  // mark responses `Connection: close` while listeners stay open (grace period),
  void begin_draining();
  // close the listeners and every idle keep-alive connection,
  void stop_accepting();
  // and finally stop the I/O threads, closing whatever is still open.
  void stop();
  std::size_t active_connections() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace flux::runtime::http
