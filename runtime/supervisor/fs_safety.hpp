#pragma once
// Filesystem rules of managed php-fpm (php-behaviour.md §14.1, §14.3): private directories,
// the binary safety check, the config write and the removal of control files.
//
// Trust rule for an ancestor directory: it must not be group/world-writable, because whoever can
// write to it can rename the component below and swap in their own directory or binary. One
// exception, which §14.1 does not spell out but which follows from the same reasoning: a
// sticky directory such as /tmp (mode 1777) is trusted for a component below it that is owned
// by root or by us, because the sticky bit stops everyone else from renaming or removing that
// component (unlink(2)/rename(2): EPERM). Without it, no managed pool could live below /tmp.

#include <string>
#include <string_view>

#include "snapshot/result.hpp"

namespace flux::runtime::supervisor {

// §14.1 steps 1 and 4 (socket_dir, session_save_path, upload_tmp_dir): creates `path` one
// component at a time with mode 0700 (existing ones are fine), refusing `.`/`..` components, a
// symlink anywhere, a non-directory, an untrusted ancestor, or a final directory that is
// group/world-writable.
Result<void> ensure_private_dir(const std::string& path);

// §14.3, run before every spawn: absolute; no `..`; no symlink in any existing component; every
// ancestor trusted (and owned by root or by us); the file itself a regular file owned by root or
// by us and not group/world-writable.
Result<void> check_binary(const std::string& path);

// §14.1 step 5: O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600, then fsync; never overwrites.
Result<void> write_private_file(const std::string& path, std::string_view content);

// Removes a control file; a missing one is fine (php-fpm removes its socket and pid file itself
// on a clean exit).
void remove_file(const std::string& path);

}  // namespace flux::runtime::supervisor
