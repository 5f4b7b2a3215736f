// php-behaviour.md §14.3 / §14.6: what the child inherits, exit polling and termination. The
// "php-fpm" here is a shell script that ignores `-F -y <conf>` and sleeps, so the test can
// inspect it through /proc while it runs.

#include "runtime/supervisor/spawn.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace flux::runtime::supervisor {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string status_field(pid_t pid, const std::string& field) {
  std::istringstream in(slurp("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0)
      return line.substr(line.find_first_not_of(" \t", field.size() + 1));
  }
  return "";
}

// Gone, or a zombie nobody reaped yet (a container's init may not reap).
bool dead(pid_t pid) {
  const std::string state = status_field(pid, "State");
  return state.empty() || state[0] == 'Z';
}

class Spawn : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "flux-spawn-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (pid_ > 0) terminate(pid_, 0ms);
    fs::remove_all(dir_);
  }
  // A stand-in master: `$3` is the config path, where it writes the pid of a background
  // "worker" in its own process group.
  std::string script(const std::string& body) {
    const std::string path = (dir_ / "fake-fpm").string();
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
    return path;
  }
  pid_t wait_for_sleep(pid_t pid) {
    for (int i = 0; i < 100 && slurp("/proc/" + std::to_string(pid) + "/comm") != "sleep\n"; ++i) {
      std::this_thread::sleep_for(20ms);
    }
    return pid;
  }

  fs::path dir_;
  pid_t pid_ = -1;
};

TEST_F(Spawn, TheChildGetsOnlyTheFixedPathAndTheRootDirectory) {
  ::setenv("FLUX_SPAWN_SECRET", "do-not-leak", 1);
  // No exec: /proc/<pid>/environ of the shell is exactly what execve passed.
  auto pid = spawn_php_fpm(script("sleep 30"), "x.conf");
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  pid_ = *pid;
  const std::string proc = "/proc/" + std::to_string(pid_);
  for (int i = 0; i < 100 && slurp(proc + "/comm") != "fake-fpm\n"; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(slurp(proc + "/environ"), std::string(kChildPath) + '\0');
  EXPECT_EQ(fs::read_symlink(proc + "/cwd"), "/");
}

TEST_F(Spawn, TheChildGetsNullStdioNoOtherFdAndItsOwnSession) {
  const int leaked = ::open("/dev/zero", O_RDONLY);  // no O_CLOEXEC on purpose
  ASSERT_GE(leaked, 0);
  auto pid = spawn_php_fpm(script("exec sleep 30"), "x.conf");
  ::close(leaked);
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  pid_ = wait_for_sleep(*pid);
  const std::string proc = "/proc/" + std::to_string(pid_);
  std::vector<std::string> fds;
  for (const auto& e : fs::directory_iterator(proc + "/fd")) fds.push_back(e.path().filename());
  std::sort(fds.begin(), fds.end());
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"}));
  for (const char* fd : {"/fd/0", "/fd/1", "/fd/2"})
    EXPECT_EQ(fs::read_symlink(proc + fd), "/dev/null");
  EXPECT_EQ(::getpgid(pid_), pid_);
  EXPECT_EQ(::getsid(pid_), pid_);
}

TEST_F(Spawn, IgnoredAndBlockedSignalsAreNotInherited) {
  ::signal(SIGPIPE, SIG_IGN);  // as fluxheim does
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  auto pid = spawn_php_fpm(script("exec sleep 30"), "x.conf");
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ASSERT_TRUE(pid.ok());
  pid_ = wait_for_sleep(*pid);
  EXPECT_EQ(status_field(pid_, "SigBlk"), "0000000000000000");
  EXPECT_EQ(status_field(pid_, "SigIgn"), "0000000000000000");
  const ExitStatus status = terminate(pid_, 5s);
  pid_ = -1;
  EXPECT_EQ(status.describe(), "signal 15");
  EXPECT_EQ(status.code(), 128 + SIGTERM);
}

TEST_F(Spawn, AnExecFailureIsReportedWithItsErrno) {
  auto pid = spawn_php_fpm((dir_ / "missing").string(), "x.conf");
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.error().message,
            "cannot execute `" + (dir_ / "missing").string() + "`: No such file or directory");
}

TEST_F(Spawn, PollExitReportsTheStatusAndKillsLeftoverWorkers) {
  const std::string worker_file = (dir_ / "worker.pid").string();
  auto pid = spawn_php_fpm(script("sleep 30 &\necho $! > \"$3\"\nsleep 0.3\nexit 3"), worker_file);
  ASSERT_TRUE(pid.ok());
  pid_ = *pid;
  std::optional<ExitStatus> status;
  for (int i = 0; i < 100 && !(status = poll_exit(pid_)); ++i) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(status.has_value());
  pid_ = -1;
  EXPECT_EQ(status->describe(), "exit 3");
  const pid_t worker = std::stoi(slurp(worker_file));
  for (int i = 0; i < 50 && !dead(worker); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(dead(worker));
}

TEST_F(Spawn, PollExitIsEmptyWhileTheMasterRuns) {
  auto pid = spawn_php_fpm(script("exec sleep 30"), "x.conf");
  ASSERT_TRUE(pid.ok());
  pid_ = *pid;
  EXPECT_FALSE(poll_exit(pid_).has_value());
}

TEST_F(Spawn, TerminateEscalatesToSigkillForTheWholeGroup) {
  const std::string worker_file = (dir_ / "worker.pid").string();
  auto pid = spawn_php_fpm(script("trap '' TERM\nsleep 30 &\necho $! > \"$3\"\nexec sleep 30"),
                           worker_file);
  ASSERT_TRUE(pid.ok());
  pid_ = wait_for_sleep(*pid);
  const auto started = std::chrono::steady_clock::now();
  const ExitStatus status = terminate(pid_, 300ms);
  pid_ = -1;
  EXPECT_EQ(status.describe(), "signal 9");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  const pid_t worker = std::stoi(slurp(worker_file));
  for (int i = 0; i < 50 && !dead(worker); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(dead(worker));
}

}  // namespace
}  // namespace flux::runtime::supervisor
