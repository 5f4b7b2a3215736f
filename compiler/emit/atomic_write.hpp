#pragma once
// cli.md §4 "Atomic write": temp file in the target directory (mode 0644), fsync, rename over
// the target, fsync the directory; on failure the temp file is removed.

#include <cstdint>
#include <span>
#include <string>

#include "snapshot/result.hpp"

namespace flux::compiler::emit {

Result<void> atomic_write(const std::string& path, std::span<const std::uint8_t> bytes);

}  // namespace flux::compiler::emit
