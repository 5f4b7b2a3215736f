#pragma once
// The .fxs container (cli.md §4): a 64-byte little-endian header, then the FlatBuffers payload.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace flux::snapshot {

inline constexpr std::array<char, 8> kMagic = {'F', 'L', 'U', 'X', 'S', 'N', 'A', 'P'};
inline constexpr std::uint16_t kFormatMajor = 1;
inline constexpr std::uint16_t kFormatMinor = 0;
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr const char* kPayloadIdentifier = "FXS1";

using Sha256 = std::array<std::uint8_t, 32>;

struct Header {
  std::uint16_t major = kFormatMajor;
  std::uint16_t minor = kFormatMinor;
  std::uint32_t flags = 0;
  std::uint64_t payload_offset = kHeaderSize;
  std::uint64_t payload_length = 0;
  Sha256 payload_sha256{};
};

// Serializes `h` into exactly kHeaderSize bytes (magic included).
std::array<std::uint8_t, kHeaderSize> encode_header(const Header& h);
// Reads the fields of a header; does not validate them (the verifier does).
Header decode_header(std::span<const std::uint8_t, kHeaderSize> bytes);
bool has_magic(std::span<const std::uint8_t> bytes);

Sha256 sha256(std::span<const std::uint8_t> bytes);
std::string to_hex(std::span<const std::uint8_t> bytes);
// "sha256:<64 lowercase hex>", the content hash shown by build, dump, verify, logs and metrics.
std::string content_hash_label(const Sha256& digest);

}  // namespace flux::snapshot
