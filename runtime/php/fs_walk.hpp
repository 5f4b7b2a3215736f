#pragma once
// Internals of fs_lookup: the portable component walk and the common final checks.

#include <span>
#include <string>
#include <vector>

#include "runtime/php/fs_lookup.hpp"

namespace flux::runtime::php {

// Final checks of every lookup method: no hidden canonical component (dotfiles are denied,
// php-behaviour.md §3.2), then fstat.
LookupResult finish_lookup(UniqueFd fd, std::vector<std::string> canonical);

// RESOLVE_BENEATH semantics without openat2: each component is opened with O_NOFOLLOW relative
// to its parent; a symlink is read and its (relative) text is walked in its place; ".." pops a
// component and may never pop the root; an absolute symlink is an escape, like RESOLVE_BENEATH.
LookupResult lookup_component_walk(const RootDir& root, std::span<const std::string> components);

}  // namespace flux::runtime::php
