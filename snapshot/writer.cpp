#include "snapshot/writer.hpp"

#include "snapshot/format.hpp"

namespace flux::snapshot {

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> payload) {
  Header h;
  h.payload_length = payload.size();
  h.payload_sha256 = sha256(payload);
  const auto head = encode_header(h);
  std::vector<std::uint8_t> out;
  out.reserve(head.size() + payload.size());
  out.insert(out.end(), head.begin(), head.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace flux::snapshot
