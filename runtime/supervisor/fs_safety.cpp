#include "runtime/supervisor/fs_safety.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace flux::runtime::supervisor {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error fail(std::string_view path, std::string_view why) {
  return make_error("`" + std::string(path) + "` " + std::string(why));
}

Error sys_fail(std::string_view what, std::string_view path) {
  return make_error("cannot " + std::string(what) + " `" + std::string(path) +
                    "`: " + std::strerror(errno));
}

bool owned_by_us_or_root(const struct stat& st) {
  return st.st_uid == 0 || st.st_uid == ::geteuid();
}

bool writable_by_others(const struct stat& st) { return (st.st_mode & (S_IWGRP | S_IWOTH)) != 0; }

// See the trust rule in the header.
bool ancestor_trusted(const struct stat& dir, const struct stat& child) {
  if (!writable_by_others(dir)) return true;
  return (dir.st_mode & S_ISVTX) != 0 && owned_by_us_or_root(child);
}

// Splits an absolute path into components; refuses `.` and `..` (a lexical check, §14.3).
Result<std::vector<std::string>> components(const std::string& path) {
  if (path.empty() || path.front() != '/') return fail(path, "must be an absolute path");
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    const std::size_t end = std::min(path.find('/', pos), path.size());
    std::string c = path.substr(pos, end - pos);
    if (c == "." || c == "..") return fail(path, "must not contain `.` or `..` components");
    if (!c.empty()) out.push_back(std::move(c));
    pos = end + 1;
  }
  return out;
}

std::string prefix_of(const std::vector<std::string>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "/" + parts[i];
  return out.empty() ? "/" : out;
}

// Opens `name` below `dir` as a directory without following a symlink; explains a failure.
Result<void> open_dir_below(int dir, const std::string& name, const std::string& shown, Fd& out) {
  const int fd = ::openat(dir, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    out = Fd(fd);
    return {};
  }
  const int saved = errno;
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode)) return fail(shown, "must not be or be below a symlink");
    if (!S_ISDIR(st.st_mode)) return fail(shown, "is not a directory");
  }
  errno = saved;
  return sys_fail("open directory", shown);
}

}  // namespace

Result<void> ensure_private_dir(const std::string& path) {
  auto parts = components(path);
  if (!parts) return parts.error();
  Fd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  struct stat dir_st {};
  if (dir.get() < 0 || ::fstat(dir.get(), &dir_st) != 0) return sys_fail("open", "/");
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const std::string& name = (*parts)[i];
    const std::string shown = prefix_of(*parts, i + 1);
    // Nothing is created below an untrusted directory; the sticky case is settled below, once
    // the owner of the component is known.
    if (writable_by_others(dir_st) && (dir_st.st_mode & S_ISVTX) == 0) {
      return fail(path, "has a group/world-writable ancestor `" + prefix_of(*parts, i) + "`");
    }
    // 0700: owner only (§14.1); mkdir's mode is masked by the umask, which can only narrow it.
    if (::mkdirat(dir.get(), name.c_str(), 0700) != 0 && errno != EEXIST) {
      return sys_fail("create directory", shown);
    }
    Fd child;
    if (auto r = open_dir_below(dir.get(), name, shown, child); !r) return r;
    struct stat child_st {};
    if (::fstat(child.get(), &child_st) != 0) return sys_fail("stat", shown);
    if (!ancestor_trusted(dir_st, child_st)) {
      return fail(path, "has a group/world-writable ancestor `" + prefix_of(*parts, i) + "`");
    }
    dir = std::move(child);
    dir_st = child_st;
  }
  if (writable_by_others(dir_st)) return fail(path, "is group/world-writable");
  return {};
}

Result<void> check_binary(const std::string& path) {
  auto parts = components(path);
  if (!parts) return parts.error();
  if (parts->empty()) return fail(path, "must be a regular file");
  Fd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  struct stat dir_st {};
  if (dir.get() < 0 || ::fstat(dir.get(), &dir_st) != 0) return sys_fail("open", "/");
  for (std::size_t i = 0; i < parts->size(); ++i) {
    const std::string& name = (*parts)[i];
    struct stat st {};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return sys_fail("stat", path);
    if (S_ISLNK(st.st_mode)) return fail(path, "must not be or be below a symlink");
    if (!ancestor_trusted(dir_st, st) || !owned_by_us_or_root(dir_st)) {
      return fail(
          path, "has an untrusted or group/world-writable ancestor `" + prefix_of(*parts, i) + "`");
    }
    if (i + 1 == parts->size()) {
      if (!S_ISREG(st.st_mode)) return fail(path, "must be a regular file");
      if (!owned_by_us_or_root(st) || writable_by_others(st))
        return fail(path, "has an untrusted owner or mode");
      return {};
    }
    Fd child;
    if (auto r = open_dir_below(dir.get(), name, path, child); !r) return r;
    if (::fstat(child.get(), &dir_st) != 0) return sys_fail("stat", path);
    dir = std::move(child);
  }
  return {};
}

Result<void> write_private_file(const std::string& path, std::string_view content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return sys_fail("create", path);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_fail("write", path);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return sys_fail("fsync", path);
  return {};
}

void remove_file(const std::string& path) { ::unlink(path.c_str()); }

}  // namespace flux::runtime::supervisor
