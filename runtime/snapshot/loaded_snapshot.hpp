#pragma once
// A mapped and verified snapshot file. Immutable; shared by every generation object built from
// it and kept alive by in-flight requests through shared_ptr.

#include <memory>
#include <string>

#include "runtime/snapshot/mapped_file.hpp"
#include "snapshot/verifier.hpp"

namespace flux::runtime {

struct LoadedSnapshot {
  std::string path;
  MappedFile file;
  snapshot::VerifiedSnapshot verified;

  const fxs::Snapshot& root() const { return *verified.root; }
  const std::string& hash() const { return verified.hash_label; }
};

enum class LoadFailure { kNone, kNoInput, kInvalid };

struct LoadError {
  LoadFailure kind = LoadFailure::kNone;
  std::string message;  // one line, without the "fluxheim: <path>: " prefix
};

// Reads, maps and verifies `path`. On failure returns nullptr and fills `error`.
std::shared_ptr<const LoadedSnapshot> load_snapshot(const std::string& path, LoadError& error);

}  // namespace flux::runtime
