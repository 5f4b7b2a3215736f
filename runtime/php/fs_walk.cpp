#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <deque>

#include "runtime/php/fs_walk.hpp"

namespace flux::runtime::php {
namespace {

constexpr int kMaxSymlinks = 40;  // Linux MAXSYMLINKS

struct Walk {
  const RootDir& root;
  std::deque<std::string> pending;
  std::vector<UniqueFd> fds;  // fds[i] is the object named names[i]
  std::vector<std::string> names;
  int symlinks = 0;

  int parent_fd() const { return fds.empty() ? root.fd() : fds.back().get(); }
};

LookupResult failed(LookupStatus s) {
  LookupResult r;
  r.status = s;
  return r;
}

LookupStatus from_errno(int err) {
  if (err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG) return LookupStatus::kNotFound;
  if (err == EACCES || err == EPERM) return LookupStatus::kAccessDenied;
  return LookupStatus::kIoError;
}

// Puts the components of a relative symlink target in front of what is left to walk.
LookupStatus expand_symlink(Walk& w, int link_fd) {
  if (++w.symlinks > kMaxSymlinks) return LookupStatus::kTooManyLinks;
  char buf[PATH_MAX];
  const ssize_t n = ::readlinkat(link_fd, "", buf, sizeof buf);
  if (n < 0) return from_errno(errno);
  if (n == 0 || static_cast<std::size_t>(n) >= sizeof buf) return LookupStatus::kNotFound;
  std::string_view target(buf, static_cast<std::size_t>(n));
  if (target.front() == '/') return LookupStatus::kSymlinkEscape;
  std::vector<std::string> parts;
  while (!target.empty()) {
    const std::size_t slash = target.find('/');
    parts.emplace_back(target.substr(0, slash));
    target.remove_prefix(slash == std::string_view::npos ? target.size() : slash + 1);
  }
  w.pending.insert(w.pending.begin(), parts.begin(), parts.end());
  return LookupStatus::kOk;
}

// One step of the walk: handles ".", "..", symlinks and plain names.
LookupStatus step(Walk& w, const std::string& name) {
  if (name.empty() || name == ".") return LookupStatus::kOk;
  if (name == "..") {
    if (w.fds.empty()) return LookupStatus::kSymlinkEscape;
    w.fds.pop_back();
    w.names.pop_back();
    return LookupStatus::kOk;
  }
  const int fd = ::openat(w.parent_fd(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return from_errno(errno);
  UniqueFd owned(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return LookupStatus::kIoError;
  if (S_ISLNK(st.st_mode)) return expand_symlink(w, fd);
  if (!w.pending.empty() && !S_ISDIR(st.st_mode)) return LookupStatus::kNotFound;
  w.fds.push_back(std::move(owned));
  w.names.push_back(name);
  return LookupStatus::kOk;
}

}  // namespace

LookupResult lookup_component_walk(const RootDir& root, std::span<const std::string> components) {
  Walk w{.root = root, .pending = {components.begin(), components.end()}};
  while (!w.pending.empty()) {
    const std::string name = std::move(w.pending.front());
    w.pending.pop_front();
    if (LookupStatus s = step(w, name); s != LookupStatus::kOk) return failed(s);
  }
  if (w.fds.empty()) {
    const int fd = ::openat(root.fd(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return failed(from_errno(errno));
    return finish_lookup(UniqueFd(fd), {});
  }
  UniqueFd last = std::move(w.fds.back());
  return finish_lookup(std::move(last), std::move(w.names));
}

}  // namespace flux::runtime::php
