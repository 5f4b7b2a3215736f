#pragma once
// The reflection schema (fxs.bfbs) of the snapshot payload, embedded at build time.

#include <cstdint>
#include <span>

namespace reflection {
struct Schema;
}

namespace flux::snapshot {

std::span<const std::uint8_t> schema_bfbs();
// The verified reflection schema (checked once with flatbuffers::Verifier).
const reflection::Schema& schema();

}  // namespace flux::snapshot
