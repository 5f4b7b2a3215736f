#pragma once
// Internal to runtime/http: starting a connection coroutine for an accepted socket.

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

namespace flux::runtime {
class GenerationHolder;
}
namespace flux::runtime::metrics {
class Gauge;
class Counter;
}  // namespace flux::runtime::metrics

namespace flux::runtime::http {

class Handler;
class TlsProvider;
class ConnectionBase;

struct ListenerInfo {
  std::string label;  // the configured address, used as a metric label
  bool tls = false;
};

// Shared by the connections of one I/O thread (so no locking among them).
struct ThreadContext {
  GenerationHolder* generations = nullptr;
  Handler* handler = nullptr;
  TlsProvider* tls = nullptr;
  const std::atomic<bool>* draining = nullptr;
  std::atomic<std::size_t>* open_connections = nullptr;
  std::list<ConnectionBase*> connections;  // for closing idle ones at shutdown
};

// Base of the per-connection objects, for shutdown bookkeeping.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Closes the connection now if it is waiting for a new request.
  virtual void close_if_idle() = 0;
  virtual void close_now() = 0;
};

void start_connection(boost::asio::ip::tcp::socket socket, ThreadContext& thread,
                      const ListenerInfo& listener, metrics::Gauge& active);

}  // namespace flux::runtime::http
