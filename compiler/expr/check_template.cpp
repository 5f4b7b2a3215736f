#include <string>

#include "compiler/expr/check.hpp"

namespace flux::compiler::expr {
namespace {

using snapshot::expr::RefKind;
using snapshot::expr::Var;

// §5.8: header.*, cookie.*, method and remote_addr are not allowed in redirect `to`.
bool check_redirect_var(const TemplatePart& p, Diags& diags) {
  const VarRef& v = p.var;
  if (v.is(RefKind::Header) || v.is(RefKind::Cookie)) {
    const char* family = v.is(RefKind::Header) ? "`header.*`" : "`cookie.*`";
    auto& d = diags.error(
        "FX0812", std::string(family) + " variables are not allowed in redirect targets", p.span);
    if (v.is(RefKind::Header) && v.name == "host") d.helps.push_back("use {host}");
    return false;
  }
  if (v.is(Var::Method) || v.is(Var::RemoteAddr)) {
    diags.error("FX0812", quoted(v.spelling()) + " is not allowed in redirect targets", p.span);
    return false;
  }
  return true;
}

bool check_var(const TemplatePart& p, const Context& ctx, Diags& diags) {
  if (ctx.site == Site::RewriteTemplate && !p.var.is(RefKind::RouteRegex)) {
    diags.error(
        "FX0812",
        "rewrite_template may only use {route.regex.NAME}, found " + quoted(p.var.spelling()),
        p.span);
    return false;
  }
  if (p.var.is(RefKind::RouteRegex)) return check_regex_group(p.var, p.span, ctx, diags);
  if (ctx.site == Site::RedirectTarget) return check_redirect_var(p, diags);
  // Response-header templates may use request variables only (§5.8): every variable of §3 is
  // a request variable, so there is nothing more to reject.
  return true;
}

}  // namespace

bool check_template(const std::vector<TemplatePart>& parts, std::string_view text,
                    const Context& ctx, Diags& diags) {
  bool ok = true;
  std::size_t placeholders = 0;
  for (const auto& p : parts) {
    if (!p.is_var) continue;
    ++placeholders;
    ok = check_var(p, ctx, diags) && ok;
  }
  if (ctx.site == Site::CacheKey && placeholders == 0) {
    auto& d = diags.error("FX0812", "a cache key template must contain at least one placeholder",
                          Span{0, text.size()});
    d.helps.push_back("for example \"{method}|{host}{path}?{query}\"");
    ok = false;
  }
  if (ok && ctx.site == Site::RedirectTarget) ok = check_redirect_target(parts, text, diags);
  return ok;
}

}  // namespace flux::compiler::expr
