#include "runtime/core/request_id.hpp"

#include <sys/random.h>

#include <cstdint>

namespace flux::runtime::core {
namespace {

// xoshiro256** seeded per thread from getrandom(2): ids must be unique, not secret.
struct Xoshiro {
  std::uint64_t s[4];
  Xoshiro() {
    if (::getrandom(s, sizeof s, 0) != static_cast<ssize_t>(sizeof s)) {
      s[0] = reinterpret_cast<std::uintptr_t>(this) | 1;
      s[1] = s[2] = s[3] = 0x9E3779B97F4A7C15ULL;
    }
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

}  // namespace

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

std::string new_request_id() {
  thread_local Xoshiro rng;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  std::uint64_t a = rng.next();
  std::uint64_t b = rng.next();
  for (int i = 0; i < 16; ++i) {
    out[i] = kHex[(a >> (60 - 4 * i)) & 0xf];
    out[16 + i] = kHex[(b >> (60 - 4 * i)) & 0xf];
  }
  return out;
}

}  // namespace flux::runtime::core
