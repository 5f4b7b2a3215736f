#pragma once
// X-Accel-Redirect / X-Sendfile target validation (php-behaviour.md §11): PHP names a file,
// the gateway serves it only when it is a plain static file inside the canonical root.

#include <sys/stat.h>

#include <span>
#include <string>
#include <string_view>

#include "runtime/php/fpm_paths.hpp"
#include "runtime/php/fs_lookup.hpp"
#include "runtime/php/response_shaping.hpp"
#include "runtime/php/root_dir.hpp"
#include "runtime/php/unique_fd.hpp"

namespace flux::runtime::php {

enum class OffloadVerdict {
  kServe,
  kBadGateway,     // 502: control characters in the target
  kForbidden,      // 403
  kNotFound,       // 404
  kInternalError,  // 500: an I/O error
};

struct OffloadTarget {
  OffloadVerdict verdict = OffloadVerdict::kInternalError;
  std::string_view reason;  // log text (§11 wording where the spec gives one)
  std::string local_path;   // kServe: canonical absolute path
  UniqueFd file;            // kServe: opened O_RDONLY, the very file that was checked
  struct stat st {};        // kServe: its fstat (size, mtime for Range/conditional handling)
};

OffloadTarget validate_offload(const RootDir& root, const FpmRoot& fpm_root,
                               std::span<const std::string> allowed_extensions,
                               const OffloadRequest& request,
                               LookupMethod method = LookupMethod::kAuto);

}  // namespace flux::runtime::php
