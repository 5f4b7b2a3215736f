#pragma once
// The admin listener (config-reference.md §6, cli.md §6.3): HTTP/1.1 on `unix:/path` (socket
// mode 0600, parent not group/world-writable) or on a loopback ip:port, one thread, requests
// of a connection answered in order. Beast and Asio stay in server.cpp.

#include <memory>
#include <string>

#include "runtime/admin/api.hpp"
#include "snapshot/result.hpp"

namespace flux::runtime::admin {

class AdminServer {
 public:
  AdminServer(std::string listen, std::string token, Backend backend);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Error text names the address. A unix socket path left behind by a crashed process is
  // replaced; one that a live process still listens on is not.
  Result<void> bind();
  // Serves on the calling thread until stop().
  void run();
  // Thread-safe: run() returns. The destructor closes the listener and every connection and
  // removes the unix socket file.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace flux::runtime::admin
