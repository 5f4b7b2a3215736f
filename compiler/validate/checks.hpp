#pragma once
// Small syntax predicates shared by several rule files.

#include <string_view>

#include "compiler/validate/table_ctx.hpp"

namespace flux::compiler {

// config-reference.md §7.4: starts with `/`; no NUL, `\`, `?`, `#`, CTL, or `.`/`..` segment.
bool is_clean_request_path(std::string_view p);
// Uppercase method token `[A-Z0-9-]`, 1..=32 bytes.
bool is_method_token(std::string_view m);
bool has_ctl(std::string_view s);  // bytes 0..31 or 127
// php-behaviour.md §3.3 "Valid path segment" (also rejects hidden and Windows device names).
bool is_valid_path_segment(std::string_view seg);
// config-reference.md §0.3 rule 3: may `child` live in `dir`? A group/world-writable `dir` is
// trusted only when it is sticky and `child` is absent or owned by root or us.
bool trusted_parent(const std::string& dir, const std::string& child);
// For "not group/world-writable" keys: `dir` itself if it is group/world-writable, else the first
// untrusted ancestor (trusted_parent), else "".
std::string writable_dir_or_ancestor(const std::string& dir);
bool is_blank(std::string_view s);

// A list value's items (empty when absent).
const std::vector<ir::Value>& items_of(const TableCtx& t, std::string_view key);
// Reports `reason` at item `i` of list `key` (key path with index) and marks the key failed.
void item_error(TableCtx& t, Code code, std::string_view key, std::size_t i,
                std::string_view reason);

// `name`: required (FX0102), not blank and <= 128 bytes (`code`).
void check_name(TableCtx& t, Code code, std::string_view what);

}  // namespace flux::compiler
