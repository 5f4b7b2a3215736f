#include "runtime/php/fs_lookup.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <climits>

#include "runtime/php/fs_walk.hpp"
#include "runtime/php/script_name.hpp"

namespace flux::runtime::php {
namespace {

constexpr int kOpenat2Retries = 4;  // EAGAIN: a concurrent rename raced the lookup

LookupStatus status_from_errno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
      return LookupStatus::kNotFound;
    case EXDEV:
      return LookupStatus::kSymlinkEscape;  // RESOLVE_BENEATH refused the path
    case ELOOP:
      return LookupStatus::kTooManyLinks;
    case EACCES:
    case EPERM:
      return LookupStatus::kAccessDenied;
    default:
      return LookupStatus::kIoError;
  }
}

}  // namespace

LookupResult finish_lookup(UniqueFd fd, std::vector<std::string> canonical) {
  LookupResult r;
  for (const std::string& c : canonical) {
    if (!c.empty() && c.front() == '.') {
      r.status = LookupStatus::kHidden;
      return r;
    }
  }
  if (::fstat(fd.get(), &r.st) != 0) return r;
  r.status = LookupStatus::kOk;
  r.fd = std::move(fd);
  r.canonical = std::move(canonical);
  return r;
}

namespace {

enum class Canonical { kBelowRoot, kOutsideRoot, kUnknown };

// Components of /proc/self/fd/N below the canonical root. kUnknown when /proc cannot tell
// (not mounted, as in some chroots): the caller then walks the components itself.
Canonical canonical_components(const RootDir& root, int fd, std::vector<std::string>& out) {
  char buf[PATH_MAX];
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof buf) return Canonical::kUnknown;
  const std::string_view path(buf, static_cast<std::size_t>(n));
  const std::string& base = root.canonical();
  if (path == base) return Canonical::kBelowRoot;
  const std::string prefix = base == "/" ? base : base + "/";
  if (!path.starts_with(prefix)) return Canonical::kOutsideRoot;
  std::string_view rest = path.substr(prefix.size());
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    out.emplace_back(rest.substr(0, slash));
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
  }
  return Canonical::kBelowRoot;
}

// Returns -1 with errno ENOSYS when openat2 is not usable here.
int call_openat2(int dirfd, const std::string& path, std::uint64_t resolve) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = resolve;
  int fd = -1;
  for (int attempt = 0; attempt < kOpenat2Retries; ++attempt) {
    fd = static_cast<int>(::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how));
    if (fd >= 0 || errno != EAGAIN) break;
  }
  return fd;
}

bool openat2_unavailable(int err) { return err == ENOSYS || err == EPERM || err == E2BIG; }

LookupResult lookup_openat2(const RootDir& root, std::span<const std::string> components,
                            bool& unavailable) {
  const std::string rel = components.empty() ? "." : join_path(components).substr(1);
  // Fast path: a path without any symlink is its own canonical form (the components are valid
  // segments, so no "." or ".."), which spares the /proc readlink on every PHP request.
  int fd = call_openat2(root.fd(), rel, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
  if (fd >= 0) {
    return finish_lookup(UniqueFd(fd), std::vector<std::string>(components.begin(), components.end()));
  }
  if (errno == ELOOP) fd = call_openat2(root.fd(), rel, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
  LookupResult r;
  if (fd < 0) {
    unavailable = openat2_unavailable(errno);
    r.status = status_from_errno(errno);
    return r;
  }
  UniqueFd owned(fd);
  std::vector<std::string> canonical;
  // Defence in depth: the kernel said "beneath"; the canonical path must agree (§3.2 step 5).
  switch (canonical_components(root, fd, canonical)) {
    case Canonical::kBelowRoot:
      break;
    case Canonical::kOutsideRoot:
      r.status = LookupStatus::kSymlinkEscape;
      return r;
    case Canonical::kUnknown:
      unavailable = true;
      return r;
  }
  return finish_lookup(std::move(owned), std::move(canonical));
}

}  // namespace

LookupResult lookup_beneath(const RootDir& root, std::span<const std::string> components,
                            LookupMethod method) {
  if (method != LookupMethod::kComponentWalk) {
    bool unavailable = false;
    LookupResult r = lookup_openat2(root, components, unavailable);
    if (!unavailable || method == LookupMethod::kOpenat2) return r;
  }
  return lookup_component_walk(root, components);
}

std::string absolute_path(const RootDir& root, std::span<const std::string> canonical) {
  if (canonical.empty()) return root.canonical();
  const std::string rel = join_path(canonical);
  return root.canonical() == "/" ? rel : root.canonical() + rel;
}

}  // namespace flux::runtime::php
