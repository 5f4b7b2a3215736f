#pragma once
// Opening a request path strictly below a root directory: openat2(2) with RESOLVE_BENEATH and
// RESOLVE_NO_MAGICLINKS, so neither ".." nor a symlink can leave the root. On kernels without
// openat2 a component-by-component O_NOFOLLOW walk is used instead (which refuses every symlink).

#include <string_view>

namespace flux::runtime::statics {

enum class OpenResult { kOk, kMissing, kForbidden, kError };

// `relative` must not start with '/'; "" or "." opens the root itself. On kOk, *fd_out is an
// open descriptor (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) owned by the caller.
OpenResult open_beneath(int root_fd, std::string_view relative, int* fd_out);

}  // namespace flux::runtime::statics
