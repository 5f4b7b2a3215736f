#pragma once
// Semantic checks of a structurally verified payload (cli.md §4 step 4): indices in range,
// strings UTF-8, enum strings known, bytecode programs pass the static verifier.

#include <cstdint>
#include <span>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::snapshot {

// `payload` is the FlatBuffers buffer `snapshot` lives in.
Result<void> check_semantics(const fxs::Snapshot& snapshot, std::span<const std::uint8_t> payload);

}  // namespace flux::snapshot
