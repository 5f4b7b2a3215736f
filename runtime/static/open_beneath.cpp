#include "runtime/static/open_beneath.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>

namespace flux::runtime::statics {
namespace {

constexpr int kOpenFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

OpenResult classify(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
      return OpenResult::kMissing;
    case EXDEV:   // RESOLVE_BENEATH: the path would leave the root
    case ELOOP:   // a symlink where none is allowed
    case EACCES:
    case EPERM:
      return OpenResult::kForbidden;
    default:
      return OpenResult::kError;
  }
}

OpenResult walk_nofollow(int root_fd, std::string_view relative, int* fd_out) {
  int dir = ::dup(root_fd);
  if (dir < 0) return OpenResult::kError;
  std::size_t start = 0;
  while (true) {
    const auto slash = relative.find('/', start);
    const std::string seg(relative.substr(start, slash - start));
    const bool last = slash == std::string_view::npos;
    if (seg.empty() || seg == ".") {
      if (last) break;
      start = slash + 1;
      continue;
    }
    if (seg == "..") {
      ::close(dir);
      return OpenResult::kForbidden;
    }
    const int next = ::openat(dir, seg.c_str(), kOpenFlags | O_NOFOLLOW | (last ? 0 : O_DIRECTORY));
    const int err = errno;
    ::close(dir);
    if (next < 0) return classify(err);
    dir = next;
    if (last) break;
    start = slash + 1;
  }
  *fd_out = dir;
  return OpenResult::kOk;
}

}  // namespace

OpenResult open_beneath(int root_fd, std::string_view relative, int* fd_out) {
  static std::atomic<bool> have_openat2{true};
  const std::string path = relative.empty() ? std::string(".") : std::string(relative);
  if (have_openat2.load(std::memory_order_relaxed)) {
    open_how how{};
    how.flags = kOpenFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    const long fd = ::syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how);
    if (fd >= 0) {
      *fd_out = static_cast<int>(fd);
      return OpenResult::kOk;
    }
    if (errno != ENOSYS) return classify(errno);
    have_openat2.store(false, std::memory_order_relaxed);
  }
  return walk_nofollow(root_fd, path, fd_out);
}

}  // namespace flux::runtime::statics
