#pragma once
// Renders the private php-fpm config `{name}.conf` of one managed pool (php-behaviour.md §14.2):
// a pure function of the pool settings and the instance files, so it is tested byte for byte
// against a golden file.

#include <string>
#include <string_view>

#include "runtime/supervisor/instance.hpp"
#include "runtime/supervisor/pool_spec.hpp"
#include "snapshot/result.hpp"

namespace flux::runtime::supervisor {

// The exact directives of §14.2 in their order, one per line, each ending with "\n".
//
// Everything is re-checked here even though fluxc validated it, because the snapshot is
// untrusted input (style.md "Verify once, then trust" stops at the runtime/OS boundary): an
// invalid value is an error, never written. php-fpm reads the file with PHP's INI scanner
// (INI_SCANNER_NORMAL), where an unquoted value is not read back verbatim if it contains `;`
// (comment), `${` (interpolation), `= & | ^ ~ ! ( )` (operators), quotes or whitespace, or if
// it is one of the literals none/null/yes/no/on/off/true/false. So:
// - paths: absolute, UTF-8, none of the bytes 0..31, 127, `'`, `"` (§14.2) nor the INI
//   metacharacters above;
// - identities (user, group, listen owner/group): the identity rule of config-reference.md
//   §9.3, both or neither, and not an INI literal;
// - listen mode: "" (written as 0600), "0600" or "0660";
// - extensions: plain names ([a-z0-9_-], as fluxc stores them);
// - sizing: workers >= 1; dynamic needs min/max spare servers.
Result<std::string> render_pool_config(const PoolSpec& spec, const InstanceFiles& files);

// The path check above, shared with the directory set-up (the same paths end up in the config).
Result<void> check_config_path(std::string_view what, std::string_view path);

}  // namespace flux::runtime::supervisor
