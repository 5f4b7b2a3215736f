#include "snapshot/format.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

namespace flux::snapshot {
namespace {

template <typename T>
void put_le(std::uint8_t* out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

template <typename T>
T get_le(const std::uint8_t* in) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(in[i]) << (8 * i);
  return value;
}

}  // namespace

std::array<std::uint8_t, kHeaderSize> encode_header(const Header& h) {
  std::array<std::uint8_t, kHeaderSize> out{};
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  put_le(out.data() + 8, h.major);
  put_le(out.data() + 10, h.minor);
  put_le(out.data() + 12, h.flags);
  put_le(out.data() + 16, h.payload_offset);
  put_le(out.data() + 24, h.payload_length);
  std::memcpy(out.data() + 32, h.payload_sha256.data(), h.payload_sha256.size());
  return out;
}

Header decode_header(std::span<const std::uint8_t, kHeaderSize> bytes) {
  Header h;
  h.major = get_le<std::uint16_t>(bytes.data() + 8);
  h.minor = get_le<std::uint16_t>(bytes.data() + 10);
  h.flags = get_le<std::uint32_t>(bytes.data() + 12);
  h.payload_offset = get_le<std::uint64_t>(bytes.data() + 16);
  h.payload_length = get_le<std::uint64_t>(bytes.data() + 24);
  std::memcpy(h.payload_sha256.data(), bytes.data() + 32, h.payload_sha256.size());
  return h;
}

bool has_magic(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= kMagic.size() &&
         std::equal(kMagic.begin(), kMagic.end(), bytes.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

Sha256 sha256(std::span<const std::uint8_t> bytes) {
  Sha256 digest{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_sha256(), nullptr);
  return digest;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

std::string content_hash_label(const Sha256& digest) { return "sha256:" + to_hex(digest); }

}  // namespace flux::snapshot
