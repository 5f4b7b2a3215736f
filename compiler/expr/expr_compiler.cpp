// compile_expr: the pipeline of expressions.md — limits, parse (ANTLR), type and context checks,
// canonical form, codegen, static verification. Compile errors are data; anything thrown from
// below (ANTLR, allocation) is caught here and becomes FX0899.
#include "compiler/expr/expr_compiler.hpp"

#include <exception>

#include "compiler/expr/canonical.hpp"
#include "compiler/expr/check.hpp"
#include "compiler/expr/codegen.hpp"
#include "compiler/expr/diags.hpp"
#include "compiler/expr/parse.hpp"
#include "snapshot/expr/verifier.hpp"
#include "snapshot/utf8.hpp"

namespace flux::compiler::expr {
namespace {

std::optional<CompiledExpr> finish(std::string canonical, snapshot::expr::ExprProgramData program,
                                   std::string_view text, Diags& diags) {
  program.source = canonical;
  const auto views = snapshot::expr::ProgramViews::of(program);
  if (auto r = snapshot::expr::verify_program(views.view()); !r) {
    diags.error("FX0899", "internal compiler error: " + r.error().message, Span{0, text.size()});
    return std::nullopt;
  }
  return CompiledExpr{false, std::move(canonical), std::move(program)};
}

std::optional<CompiledExpr> compile_predicate(std::string_view text, const Context& ctx,
                                              Diags& diags) {
  const auto ast = parse_predicate(text, diags);
  if (!ast || !check_predicate(*ast, text, ctx, diags)) return std::nullopt;
  return finish(canonical_predicate(*ast), generate_predicate(*ast), text, diags);
}

std::optional<CompiledExpr> compile_template(std::string_view text, const Context& ctx,
                                             Diags& diags) {
  if (text.find('{') == std::string_view::npos) {
    // §1: a literal, no bytecode. Context rules still apply (cache keys, redirect targets).
    std::vector<TemplatePart> parts;
    if (!text.empty())
      parts.push_back(TemplatePart{false, std::string(text), {}, Span{0, text.size()}});
    if (!check_template(parts, text, ctx, diags)) return std::nullopt;
    CompiledExpr c{true, std::string(text), {}};
    c.program.kind = snapshot::expr::Kind::Template;
    c.program.source = c.canonical_source;
    return c;
  }
  const auto parts = parse_template(text, diags);
  if (!parts || !check_template(*parts, text, ctx, diags)) return std::nullopt;
  const auto modes = append_modes(*parts, ctx.site == Site::RedirectTarget);
  return finish(canonical_template(*parts), generate_template(*parts, modes), text, diags);
}

}  // namespace

Form form_of(Site site) {
  switch (site) {
    case Site::RouteWhen:
    case Site::CacheBypassWhen:
    case Site::CacheNoStoreWhen:
      return Form::Predicate;
    case Site::RedirectTarget:
    case Site::RequestHeader:
    case Site::ResponseHeader:
    case Site::CacheKey:
    case Site::RewriteTemplate:
      break;
  }
  return Form::Template;
}

std::optional<CompiledExpr> compile_expr(std::string_view text, Form form, const Context& ctx,
                                         std::vector<ExprDiagnostic>& out) {
  Diags diags(out);
  const Span whole{0, text.size()};
  try {
    if (form != form_of(ctx.site)) {
      diags.error("FX0899", "internal compiler error: expression form does not match its key",
                  whole);
      return std::nullopt;
    }
    if (text.size() > kMaxSourceBytes) {
      diags.error("FX0810", "expression longer than 4096 bytes",
                  Span{kMaxSourceBytes, text.size()});
      return std::nullopt;
    }
    if (!snapshot::is_valid_utf8(text)) {
      diags.error("FX0802", "expression is not valid UTF-8", whole);
      return std::nullopt;
    }
    return form == Form::Predicate ? compile_predicate(text, ctx, diags)
                                   : compile_template(text, ctx, diags);
  } catch (const std::exception& e) {
    diags.error("FX0899", std::string("internal compiler error: ") + e.what(), whole);
  } catch (...) {
    diags.error("FX0899", "internal compiler error: unknown exception", whole);
  }
  return std::nullopt;
}

}  // namespace flux::compiler::expr
