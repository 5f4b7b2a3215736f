#pragma once
// Seals a FlatBuffers payload into the .fxs container. Only compiler/emit calls this.

#include <cstdint>
#include <span>
#include <vector>

namespace flux::snapshot {

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> payload);

}  // namespace flux::snapshot
