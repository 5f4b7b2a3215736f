#pragma once
// Variable names of expressions.md §3 and the FX0803 "unknown variable" diagnostics with
// did-you-mean suggestions.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "compiler/expr/ast.hpp"
#include "compiler/expr/diags.hpp"

namespace flux::compiler::expr {

// Resolves a lexed variable word such as `path`, `header.X-Debug` or `route.regex.user`.
// Reports FX0803 (unknown / malformed) or FX0810 (name longer than 64 bytes) and returns
// nullopt on failure. Context rules (§5.8) are checked later, by check.cpp.
std::optional<VarRef> resolve_variable(std::string_view word, Span span, Diags& diags);

// The closest candidate within a small edit distance, if any (for `did you mean`).
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates);

}  // namespace flux::compiler::expr
