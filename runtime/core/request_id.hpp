#pragma once
// Request ids (config-reference.md §2.1 request_id): reuse a valid inbound id (1..128 visible
// ASCII bytes), else a fresh 128-bit random id in hex.

#include <string>
#include <string_view>

namespace flux::runtime::core {

bool is_valid_request_id(std::string_view id);
std::string new_request_id();

}  // namespace flux::runtime::core
