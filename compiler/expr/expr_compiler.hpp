#pragma once
// Public API of the expression compiler (expressions.md): source text -> checked AST -> verified
// bytecode. This is the only header of compiler/expr that other folders include; no ANTLR type
// appears here. Errors are returned as data (ExprDiagnostic), never thrown.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/expr/program.hpp"

namespace flux::compiler::expr {

enum class Form { Predicate, Template };

// Which config key the expression sits in; it decides the context rules of expressions.md §5.8
// and the redirect escaping of §3.
enum class Site {
  RedirectTarget,    // [vhosts.redirect] to, [vhosts.routes.redirect] to        (template)
  RequestHeader,     // headers.request set/append values                        (template)
  ResponseHeader,    // headers.response set/append values                       (template)
  CacheKey,          // cache.key_template: needs at least one placeholder       (template)
  RewriteTemplate,   // routes.rewrite_template: only {route.regex.NAME}         (template)
  RouteWhen,         // [[vhosts.routes]] when                                   (predicate)
  CacheBypassWhen,   // cache.bypass_when                                        (predicate)
  CacheNoStoreWhen,  // cache.no_store_when                                      (predicate)
};

Form form_of(Site site);

struct Context {
  Site site = Site::RouteWhen;
  // The named groups of the enclosing route's path_regex (RegexProgram.group_names), or nullopt
  // when the key is not inside a route with path_regex. route.regex.NAME is resolved against it.
  std::optional<std::vector<std::string>> regex_groups;
};

struct ExprDiagnostic {
  std::string code;       // "FX0801" .. "FX0814", "FX0899", warning "FX0912"; FX0406 for the
                          // redirect-target rules of config-reference.md §7.2
  std::string message;    // the text after `<key_path>: ` in cli.md §2
  std::size_t begin = 0;  // byte offsets into the DECODED string value; end is exclusive and
  std::size_t end = 0;    // begin == end == text.size() means "end of expression"
  std::vector<std::string> helps;  // rendered as `= help: …`
  std::vector<std::string> notes;  // rendered as `= note: …`
  bool warning = false;
};

struct CompiledExpr {
  // A template without `{` (expressions.md §1): no bytecode, `program` is empty, and the
  // snapshot stores Template{source = text, program = -1}. Predicates are never literal.
  bool literal = false;
  std::string canonical_source;             // for Template.source and `fluxc dump`
  snapshot::expr::ExprProgramData program;  // verified; program.source == canonical_source
};

// Compiles one expression. On success returns the program (warnings such as FX0912 may still be
// appended to `out`); on failure returns nullopt with at least one error in `out`. `form` must
// equal form_of(ctx.site), otherwise FX0899 (a caller bug) is reported.
std::optional<CompiledExpr> compile_expr(std::string_view text, Form form, const Context& ctx,
                                         std::vector<ExprDiagnostic>& out);

}  // namespace flux::compiler::expr
