#include "runtime/supervisor/readiness.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace flux::runtime::supervisor {
namespace {

bool socket_accepts(const std::string& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, socket.data(), socket.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

ReadyOutcome wait_ready(pid_t pid, const std::string& socket, std::chrono::seconds timeout,
                        const std::atomic<bool>& shutdown) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (socket_accepts(socket)) return {Readiness::kReady, {}};
    if (auto status = poll_exit(pid)) return {Readiness::kExited, *status};
    if (shutdown.load()) return {Readiness::kShutdown, {}};
    if (Clock::now() >= deadline) return {Readiness::kTimedOut, {}};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace flux::runtime::supervisor
