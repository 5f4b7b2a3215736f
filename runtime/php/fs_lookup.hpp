#pragma once
// Race-free lookup of a path under the PHP root (php-behaviour.md §3.2 step 5): symlinks are
// followed only while they stay beneath the root. Uses openat2(RESOLVE_BENEATH |
// RESOLVE_NO_MAGICLINKS) where the kernel has it, else an O_NOFOLLOW walk that expands
// symlinks itself with the same rules. Synchronous filesystem I/O, no sockets.

#include <sys/stat.h>

#include <span>
#include <string>
#include <vector>

#include "runtime/php/root_dir.hpp"
#include "runtime/php/unique_fd.hpp"

namespace flux::runtime::php {

enum class LookupStatus {
  kOk,
  kNotFound,       // a component is missing, or a non-directory is used as one
  kSymlinkEscape,  // a symlink (or "..") leads outside the root, or is absolute
  kHidden,         // a component of the canonical path starts with '.' (dotfiles denied)
  kTooManyLinks,   // symlink loop
  kAccessDenied,   // EACCES/EPERM from the kernel
  kIoError,
};

enum class LookupMethod { kAuto, kOpenat2, kComponentWalk };

struct LookupResult {
  LookupStatus status = LookupStatus::kIoError;
  UniqueFd fd;                         // O_PATH descriptor of the final object
  struct stat st {};                   // its fstat
  std::vector<std::string> canonical;  // components relative to the canonical root
};

// Looks up `components` (valid segments; none = the root itself). kAuto tries openat2 and
// falls back to the walk when the kernel (or a seccomp filter) does not offer it, or when
// /proc cannot confirm the canonical path. kOpenat2 never falls back (kIoError instead).
LookupResult lookup_beneath(const RootDir& root, std::span<const std::string> components,
                            LookupMethod method = LookupMethod::kAuto);

// The absolute canonical path of a lookup result: root + "/" + components.
std::string absolute_path(const RootDir& root, std::span<const std::string> canonical);

}  // namespace flux::runtime::php
