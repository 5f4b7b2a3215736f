#pragma once
// Rule functions: the table-specific checks of config-reference.md that are not generic facets,
// one function per table, run after the table's keys are converted and defaulted.

#include "compiler/validate/table_ctx.hpp"

namespace flux::compiler {

void run_rules(TableCtx& t);

// Per-area entry points (rules_*.cpp), dispatched by run_rules.
void rules_server(TableCtx& t);
void rules_log_file(TableCtx& t);
void rules_metrics(TableCtx& t);
void rules_admin(TableCtx& t);
void rules_vhost(TableCtx& t);
void rules_web(TableCtx& t);
void rules_redirect(TableCtx& t);
void rules_error_page(TableCtx& t);
void rules_route(TableCtx& t);

// Computed defaults ("=rule" in directives.def) that depend on keys of the same table.
void computed_defaults(TableCtx& t);
// config-reference.md §0.3 rules 2-3 for every user-given path of the table.
void host_path_checks(TableCtx& t);

}  // namespace flux::compiler
