#pragma once
// The canonical PHP root (config-reference.md §8.1 root / resolve_root_symlink), opened once per
// snapshot generation as an O_PATH directory fd that every lookup starts from.

#include <string>

#include "runtime/php/unique_fd.hpp"

namespace flux::runtime::php {

enum class RootError {
  kNone,
  kNotAbsolute,
  kSymlinkedRoot,  // root (or a parent) is a symlink that the config does not allow
  kNotADirectory,
  kIoError,  // missing, unreadable, ...
};

class RootDir {
 public:
  // `root` is the absolute, lexically normal path from the snapshot. With
  // `resolve_root_symlink` only its final component may be a symlink; without, none may be.
  static RootError open(const std::string& root, bool resolve_root_symlink, RootDir& out);

  int fd() const { return fd_.get(); }
  const std::string& canonical() const { return canonical_; }

 private:
  UniqueFd fd_;
  std::string canonical_;
};

// realpath(3) as a value: empty when the path cannot be resolved.
std::string canonical_path(const std::string& path);

}  // namespace flux::runtime::php
