#pragma once

#include <string_view>

namespace flux::snapshot {

// RFC 3629 validity: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

}  // namespace flux::snapshot
