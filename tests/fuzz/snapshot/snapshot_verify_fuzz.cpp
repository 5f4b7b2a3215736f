// libFuzzer: the snapshot verifier on arbitrary bytes, both as a whole file and as a payload
// sealed with a correct header and checksum (so the FlatBuffers and semantic checks are reached).

#include <cstddef>
#include <cstdint>
#include <span>

#include "snapshot/verifier.hpp"
#include "snapshot/writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  (void)flux::snapshot::verify(bytes);
  const auto sealed = flux::snapshot::seal(bytes);
  (void)flux::snapshot::verify(sealed);
  return 0;
}
