#pragma once
// The admin bearer token (config-reference.md §6, cli.md §6.3): read once at start-up from
// admin.token_file (re-checked: a regular file that is not group/world-readable) or from the
// environment variable admin.token_env; surrounding whitespace trimmed, 32..=4096 bytes.

#include <string>
#include <string_view>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Admin;
}

namespace flux::runtime::admin {

inline constexpr std::size_t kMinTokenBytes = 32;
inline constexpr std::size_t kMaxTokenBytes = 4096;

Result<std::string> load_token(const fxs::Admin& admin);

// Checks a trimmed token's length; `source` names it in the error.
Result<std::string> validate_token(std::string_view raw, std::string_view source);

// `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110
// §11.1). The comparison takes the same time whatever the credentials' content, so a client
// cannot find the token byte by byte from response times.
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace flux::runtime::admin
