#pragma once
// Rule functions: the table-specific checks of config-reference.md that are not generic facets,
// one function per table, run after the table's keys are converted and defaulted.

#include "compiler/validate/table_ctx.hpp"

namespace flux::compiler {

void run_rules(TableCtx& t);

// Per-area entry points (rules_*.cpp), dispatched by run_rules.
void rules_server(TableCtx& t);
void rules_log_file(TableCtx& t);
void rules_tls(TableCtx& t);
void rules_certificate(TableCtx& t);
void rules_request_headers(TableCtx& t);
void rules_response_headers(TableCtx& t);
void rules_proxy(TableCtx& t);
void rules_php(TableCtx& t);
void rules_cache(TableCtx& t);
void rules_metrics(TableCtx& t);
void rules_admin(TableCtx& t);
void rules_vhost(TableCtx& t);
void rules_web(TableCtx& t);
void rules_redirect(TableCtx& t);
void rules_error_page(TableCtx& t);
// Runs rules_error_page on each entry of `key` and checks that statuses are unique (§8.3).
void check_error_pages(TableCtx& t, std::string_view key);
// Parts of rules_php (rules_php_lists.cpp): params (§8.2); stderr patterns, hidden headers and
// intercepted statuses (§8.1); FX0910 for an fpm_root mapping to a loopback php-fpm.
void check_php_params(TableCtx& t);
void check_php_response_lists(TableCtx& t);
void check_fpm_root_mapping(TableCtx& php, const TableCtx& fpm);
// §9.3 managed-mode keys (rules_fpm_managed.cpp), run first in managed mode.
void check_managed(TableCtx& t);
// Called from rules_php for an enabled PHP block (§9 rules apply only then).
void rules_fpm(TableCtx& t);
void rules_route(TableCtx& t);

// Computed defaults ("=rule" in directives.def) that depend on keys of the same table.
void computed_defaults(TableCtx& t);
// config-reference.md §0.3 rules 2-3 for every user-given path of the table.
void host_path_checks(TableCtx& t);

}  // namespace flux::compiler
