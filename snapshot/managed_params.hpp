#pragma once
// The CGI/FastCGI params that Fluxheim itself manages (php-behaviour.md §5.3): fluxc refuses
// them in php.params, and the runtime drops them again as defence in depth. One list for both.

#include <string_view>

namespace flux::snapshot {

// Exact, case-sensitive match against the managed list (AUTH_TYPE ... SERVER_SOFTWARE,
// PHP_VALUE, PHP_ADMIN_VALUE, HTTP_HOST, HTTP_PROXY).
bool is_managed_param(std::string_view name);

}  // namespace flux::snapshot
