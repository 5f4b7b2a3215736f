#pragma once
// Waiting for a freshly spawned php-fpm master to accept connections (php-behaviour.md §14.4).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <string>

#include "runtime/supervisor/spawn.hpp"

namespace flux::runtime::supervisor {

enum class Readiness { kReady, kExited, kTimedOut, kShutdown };

struct ReadyOutcome {
  Readiness state = Readiness::kReady;
  ExitStatus status;  // kExited: how the master ended (it has been reaped)
};

// Tries a Unix connect to `socket` every 50 ms until it succeeds, the master exits, `timeout`
// passes or `shutdown` is set. On kTimedOut the master is still running: the caller terminates
// it (§14.6) and removes its files.
ReadyOutcome wait_ready(pid_t pid, const std::string& socket, std::chrono::seconds timeout,
                        const std::atomic<bool>& shutdown);

}  // namespace flux::runtime::supervisor
