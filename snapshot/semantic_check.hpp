#pragma once
// Semantic checks of a structurally verified payload (cli.md §4 step 4): indices in range,
// strings UTF-8, enum strings known, bytecode programs pass the static verifier.

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::snapshot {

Result<void> check_semantics(const fxs::Snapshot& snapshot);

}  // namespace flux::snapshot
