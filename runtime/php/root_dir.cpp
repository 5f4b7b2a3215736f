#include "runtime/php/root_dir.hpp"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cerrno>

namespace flux::runtime::php {
namespace {

std::string without_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string parent_of(const std::string& p) {
  const std::size_t slash = p.rfind('/');
  return slash == 0 ? std::string("/") : p.substr(0, slash);
}

}  // namespace

std::string canonical_path(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

RootError RootDir::open(const std::string& root, bool resolve_root_symlink, RootDir& out) {
  if (root.empty() || root.front() != '/') return RootError::kNotAbsolute;
  const std::string lexical = without_trailing_slashes(root);
  const std::string canonical = canonical_path(lexical);
  if (canonical.empty()) return RootError::kIoError;
  // config-reference.md §8.1: a symlinked root is refused unless resolve_root_symlink, and even
  // then no parent may be a symlink.
  if (canonical != lexical) {
    if (!resolve_root_symlink) return RootError::kSymlinkedRoot;
    const std::string parent = parent_of(lexical);
    if (canonical_path(parent) != parent) return RootError::kSymlinkedRoot;
  }
  const int fd = ::open(canonical.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno == ENOTDIR ? RootError::kNotADirectory : RootError::kIoError;
  out.fd_.reset(fd);
  out.canonical_ = canonical;
  return RootError::kNone;
}

}  // namespace flux::runtime::php
