#pragma once
// Starting, watching and stopping the php-fpm master process (php-behaviour.md §14.3, §14.6).

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "snapshot/result.hpp"

namespace flux::runtime::supervisor {

// §14.3: the fixed PATH, whatever the gateway's own PATH is.
inline constexpr const char* kChildPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// How a child ended, as waitpid(2) reported it.
struct ExitStatus {
  int raw = 0;

  // "exit 78" or "signal 9", for log lines and messages.
  std::string describe() const;
  // The exit code, or 128 + the signal number (the shell's convention), for the metric.
  int code() const;
};

// fork + execve of `<binary> -F -y <conf>` (php-fpm: foreground, this config file) with an
// empty environment plus kChildPath, stdin/stdout/stderr on /dev/null, every other fd closed,
// all signal dispositions and the signal mask reset, its own session and process group,
// PR_SET_PDEATHSIG = SIGTERM, and `/` as its working directory. Returns the pid once execve has
// succeeded; an execve failure is reported through a close-on-exec pipe.
//
// PR_SET_PDEATHSIG fires when the *thread* that forked exits, not the process: call this only
// from a thread that lives as long as the child should (the main thread or the pool's
// watchdog thread, which stop() joins before it terminates the child anyway).
Result<pid_t> spawn_php_fpm(const std::string& binary, const std::string& conf);

// If the master has exited: kills what is left of its process group (php-fpm workers outlive a
// killed master and keep serving the old socket), reaps it and returns the status. nullopt
// while it runs.
std::optional<ExitStatus> poll_exit(pid_t pid);

// §14.6: SIGTERM to the master, poll every 100 ms for up to `grace`, then SIGKILL to the whole
// process group; reaps the master. Returns its status.
ExitStatus terminate(pid_t pid, std::chrono::milliseconds grace);

}  // namespace flux::runtime::supervisor
