#pragma once
// Range requests (RFC 9110 §14): single byte ranges are served as 206; several ranges are
// answered with the whole representation (a server MAY ignore Range, §14.2); an unsatisfiable
// range gives 416 with "Content-Range: bytes */size".

#include <cstdint>
#include <string_view>

namespace flux::runtime::statics {

struct ByteRange {
  enum class Kind { kNone, kSatisfiable, kUnsatisfiable };
  Kind kind = Kind::kNone;
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// `kNone` for an absent, malformed, multi-range or non-bytes header.
ByteRange parse_range(std::string_view header, std::uint64_t size);

}  // namespace flux::runtime::statics
