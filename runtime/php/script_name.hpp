#pragma once
// Script-name parse (php-behaviour.md §3.1): request path -> script name + PATH_INFO, and the
// deny-prefix check. Pure: no filesystem access.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/php/script_config.hpp"

namespace flux::runtime::php {

enum class ParseError {
  kNone,
  kBadPercentEncoding,  // '%' not followed by two hex digits
  kInvalidUtf8,
  kNotAbsolute,  // decoded path does not start with '/'
  kControlCharacter,
  kInvalidSegment,    // §3.3 (traversal, hidden, '\\', ':', device names, ...)
  kPathInfoDisabled,  // segments after the script while path_info = "disabled"
};

struct ParsedPath {
  std::vector<std::string> segments;  // decoded, empty and "." segments skipped
  std::string script_name;            // "/a/b.php", or "/{index}" for the front controller
  std::string path_info;              // "" or "/x/y"
  bool explicit_script = false;
  std::size_t script_segments = 0;  // explicit: segments[0, n) name the script
};

struct ParseResult {
  ParseError error = ParseError::kNone;
  ParsedPath path;
  bool ok() const { return error == ParseError::kNone; }
};

// True when the extension of `name` (after its last '.') is one of `allowed`, compared ASCII
// case-insensitively. `allowed` holds the lowercased config entries.
bool has_allowed_extension(std::string_view name, std::span<const std::string> allowed);

ParseResult parse_script_path(std::string_view raw_path, const ScriptConfig& config);

// §3.1 deny check: equal to a prefix, or starting with it where the prefix ends in '/' or the
// next character is '/'.
bool is_denied(std::string_view script_name, std::span<const std::string> prefixes);

// "/" + segments joined by "/".
std::string join_path(std::span<const std::string> segments);

}  // namespace flux::runtime::php
