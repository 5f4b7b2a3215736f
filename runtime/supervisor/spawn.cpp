#include "runtime/supervisor/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <thread>
#include <vector>

namespace flux::runtime::supervisor {
namespace {

using Clock = std::chrono::steady_clock;

// Everything the child needs, prepared before fork(): after it, a multi-threaded process may
// only call async-signal-safe functions, so nothing below allocates.
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int error_fd;       // write end of the close-on-exec error pipe
  pid_t parent;       // to detect a parent that died before PR_SET_PDEATHSIG took effect
  unsigned fd_limit;  // close() fallback bound when close_range(2) is missing (Linux < 5.9)
};

void close_fds(unsigned from, unsigned to, unsigned limit) {
  if (from > to) return;
  if (::close_range(from, to, 0) == 0) return;
  for (unsigned fd = from; fd <= to && fd < limit; ++fd) ::close(static_cast<int>(fd));
}

[[noreturn]] void fail_child(int error_fd) {
  const int e = errno;
  [[maybe_unused]] const ssize_t n = ::write(error_fd, &e, sizeof e);
  ::_exit(127);
}

[[noreturn]] void exec_child(const ChildPlan& plan) {
  // Dispositions: ignored signals (fluxheim ignores SIGPIPE) would survive execve.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
  // The mask survives execve too, and fluxheim blocks SIGTERM/SIGHUP/SIGINT in every thread.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Move the error pipe above stdio in case fluxheim was started with fd 0-2 closed.
  const int error_fd = ::fcntl(plan.error_fd, F_DUPFD_CLOEXEC, 3);
  if (error_fd < 0) fail_child(plan.error_fd);
  if (::setsid() < 0) fail_child(error_fd);
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) fail_child(error_fd);
  if (::getppid() != plan.parent) ::_exit(127);  // the parent died before the prctl
  // Like a daemon: the master must not keep fluxheim's working directory busy (its paths are
  // all absolute; the pool itself runs with `chdir = /`).
  if (::chdir("/") != 0) fail_child(error_fd);
  const int null_fd = ::open("/dev/null", O_RDWR);
  if (null_fd < 0) fail_child(error_fd);
  for (int fd = 0; fd < 3; ++fd) {
    if (::dup2(null_fd, fd) < 0) fail_child(error_fd);
  }
  const auto err = static_cast<unsigned>(error_fd);
  close_fds(3, err - 1, plan.fd_limit);
  close_fds(err + 1, UINT_MAX, plan.fd_limit);
  ::execve(plan.path, plan.argv, plan.envp);
  fail_child(error_fd);
}

unsigned fd_limit() {
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<unsigned>(std::min<rlim_t>(rl.rlim_cur, UINT_MAX));
}

// Reads the child's execve errno from the pipe: 0 means execve succeeded (the pipe closed).
int read_exec_error(int fd) {
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(fd, &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof child_errno) ? child_errno : 0;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (WIFSIGNALED(raw)) return "signal " + std::to_string(WTERMSIG(raw));
  return "exit " + std::to_string(WEXITSTATUS(raw));
}

int ExitStatus::code() const { return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : WEXITSTATUS(raw); }

Result<pid_t> spawn_php_fpm(const std::string& binary, const std::string& conf) {
  std::string args[] = {binary, "-F", "-y", conf};
  char* argv[] = {args[0].data(), args[1].data(), args[2].data(), args[3].data(), nullptr};
  std::string path_var = kChildPath;
  char* envp[] = {path_var.data(), nullptr};
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return make_error(std::string("pipe2: ") + std::strerror(errno));
  const ChildPlan plan{binary.c_str(), argv, envp, pipe_fds[1], ::getpid(), fd_limit()};
  const pid_t pid = ::fork();
  if (pid == 0) exec_child(plan);
  const int fork_errno = errno;
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    return make_error(std::string("fork: ") + std::strerror(fork_errno));
  }
  const int exec_errno = read_exec_error(pipe_fds[0]);
  ::close(pipe_fds[0]);
  if (exec_errno != 0) {
    ::waitpid(pid, nullptr, 0);
    return make_error("cannot execute `" + binary + "`: " + std::strerror(exec_errno));
  }
  return pid;
}

std::optional<ExitStatus> poll_exit(pid_t pid) {
  siginfo_t info{};
  // WNOWAIT leaves the zombie in place, so the process group id cannot be reused before the
  // killpg below.
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return ExitStatus{};  // ECHILD: already reaped, so the id may be reused; kill nothing
  }
  if (info.si_pid == 0) return std::nullopt;
  ::killpg(pid, SIGKILL);
  ExitStatus status;
  ::waitpid(pid, &status.raw, 0);
  return status;
}

ExitStatus terminate(pid_t pid, std::chrono::milliseconds grace) {
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    if (auto status = poll_exit(pid)) return *status;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::killpg(pid, SIGKILL);
  ::kill(pid, SIGKILL);
  ExitStatus status;
  ::waitpid(pid, &status.raw, 0);
  return status;
}

}  // namespace flux::runtime::supervisor
