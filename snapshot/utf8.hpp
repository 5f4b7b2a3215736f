#pragma once

#include <cstddef>
#include <string_view>

namespace flux::snapshot {

// RFC 3629 validity: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when the bytes there
// are not a valid sequence.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace flux::snapshot
