#pragma once
// Conversion of one TOML value to IR by the directive's value kind (config-reference.md §0.2):
// type errors FX0101, enums FX0103, byte sizes FX0104, integer ranges FX0105, list and map
// sizes, header names and values, paths (lexical rules and relative-path resolution).

#include <optional>

#include "compiler/parse/syntax_tree.hpp"
#include "compiler/validate/context.hpp"

namespace flux::compiler {

struct KeyRef {
  Context& ctx;
  TableType table;
  const Directive& d;
  const SyntaxNode& node;
  std::string path;  // key path of the value
};

ir::Origin origin_of(const SyntaxNode& n);

// Scalars and lists/maps of scalars. Returns nullopt after reporting a diagnostic.
std::optional<ir::Value> convert_scalar(const KeyRef& k);
std::optional<ir::Value> convert_string_kind(const KeyRef& k);  // string-valued kinds
std::optional<ir::Value> convert_list(const KeyRef& k);
std::optional<ir::Value> convert_map(const KeyRef& k);

// Shared pieces, also used by the rule functions.
std::optional<std::uint64_t> parse_byte_size(std::string_view text, bool* binary_alias);
bool is_header_token(std::string_view name);
bool is_header_value(std::string_view value);  // no CTL except HTAB (config-reference.md §4)
std::string lexically_absolute(std::string_view base_dir, std::string_view path);
bool has_dotdot(std::string_view path);

}  // namespace flux::compiler
