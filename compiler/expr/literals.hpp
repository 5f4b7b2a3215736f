#pragma once
// String and integer literals (expressions.md §2 string_lit, int_lit) and their canonical
// spelling.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/expr/ast.hpp"
#include "compiler/expr/diags.hpp"

namespace flux::compiler::expr {

// Decodes a DQ_STRING or SQ_STRING token (quotes included) that starts at byte `at`. Reports
// FX0802 for a bad escape and FX0810 for a decoded value longer than kMaxStringLiteral.
std::optional<std::string> decode_string(std::string_view token, std::size_t at, Diags& diags);

// Parses an INT token; FX0810 when it exceeds 4294967295.
std::optional<std::uint32_t> parse_int(std::string_view token, Span span, Diags& diags);

// The canonical double-quoted spelling of a string value (round-trips through decode_string).
std::string quote_string(std::string_view value);

}  // namespace flux::compiler::expr
