#pragma once
// Host-derived CGI values (php-behaviour.md §5.1): the Host value, SERVER_NAME, SERVER_PORT.

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/php/request_view.hpp"

namespace flux::runtime::php {

// Param-safe value (§5.1): at most 16384 bytes, no byte 0x00-0x1F or 0x7F.
inline constexpr std::size_t kMaxParamValueBytes = 16384;
bool is_param_safe(std::string_view value);

// The first non-empty trimmed Host header, else the absolute-form authority, else the vhost.
std::string_view host_value(const RequestView& req);

// `host:port` -> host; `[v6]:port` -> `[v6]`; anything else unchanged.
std::string_view strip_port(std::string_view host);

// The explicit port of `host:port` / `[v6]:port` when it is a decimal 1..65535.
std::optional<std::uint16_t> explicit_port(std::string_view host);

}  // namespace flux::runtime::php
