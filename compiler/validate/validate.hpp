#pragma once
// Entry point of validation: syntax tree -> IR document (or diagnostics).

#include <optional>

#include "compiler/ir/value.hpp"
#include "compiler/parse/syntax_tree.hpp"
#include "compiler/validate/context.hpp"

namespace flux::compiler {

// Runs every table rule, the cross-reference checks and the overlay merges. Returns the IR even
// when errors were reported (the caller decides by DiagEngine::has_errors()).
ir::Document validate(Context& ctx, const SyntaxNode& root);

// Cross-table checks (cross_checks.cpp) and header/cache overlay merges (merge.cpp).
void cross_checks(Context& ctx, ir::Document& doc);
void merge_overlays(ir::Document& doc);
// Templates and predicates (expressions.cpp): fills Value::expr and Document::programs.
void compile_expressions(Context& ctx, ir::Document& doc);

}  // namespace flux::compiler
