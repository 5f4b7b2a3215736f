// Compiles every template and predicate of the document with compiler/expr (expressions.md),
// after the structure is validated so each expression knows its site and, inside a route, the
// named groups of the route's path_regex (§5.8). Errors point inside the TOML string (§7).

#include <optional>
#include <string>

#include "compiler/expr/expr_compiler.hpp"
#include "compiler/validate/validate.hpp"

namespace flux::compiler {
namespace {

namespace ex = expr;
using Groups = std::optional<std::vector<std::string>>;

// expressions.md §5.9: at most 4096 expressions per snapshot.
constexpr std::size_t kMaxPrograms = 4096;

// Whether a table type can contain a template or predicate anywhere below it; the pass skips
// the others (most of a 10,000-vhost site is web roots and PHP settings).
bool may_hold_expressions(TableType t) {
  static std::vector<int> cache(all_tables().size() + 1, -1);
  int& c = cache[static_cast<std::size_t>(t)];
  if (c >= 0) return c == 1;
  c = 0;  // breaks cycles (none exist, but the recursion must terminate)
  for (const Directive& d : table_info(t).keys) {
    const bool direct = d.kind == ValueKind::Template || d.kind == ValueKind::Predicate ||
                        d.kind == ValueKind::MapTemplate || d.kind == ValueKind::MapTemplates;
    const bool nested = (d.kind == ValueKind::Table || d.kind == ValueKind::TableArray) &&
                        may_hold_expressions(d.facets.sub);
    if (direct || nested) c = 1;
  }
  return c == 1;
}

std::optional<ex::Site> site_of(TableType t, std::string_view key) {
  using enum TableType;
  if (t == Redirect && key == "to") return ex::Site::RedirectTarget;
  if (t == RequestHeaders) return ex::Site::RequestHeader;
  if (t == ResponseHeaders) return ex::Site::ResponseHeader;
  if (t == Route && key == "when") return ex::Site::RouteWhen;
  if (t == Route && key == "rewrite_template") return ex::Site::RewriteTemplate;
  if (t == Cache && key == "key_template") return ex::Site::CacheKey;
  if (t == Cache && key == "bypass_when") return ex::Site::CacheBypassWhen;
  if (t == Cache && key == "no_store_when") return ex::Site::CacheNoStoreWhen;
  return std::nullopt;
}

class Compiler {
 public:
  Compiler(Context& ctx, ir::Document& doc) : ctx_(ctx), doc_(doc) {}

  void table(TableType type, ir::Value& v, const std::string& path, const Groups& groups) {
    if (!may_hold_expressions(type)) return;
    const Groups own = type == TableType::Route ? route_groups(v) : groups;
    for (const Directive& d : table_info(type).keys) {
      ir::Value* f = v.get(d.key);
      if (f == nullptr || !f->present() || f->kind == ir::Value::Kind::Ref) continue;
      const std::string p = join_path(path, d.key);
      switch (d.kind) {
        case ValueKind::Template:
        case ValueKind::Predicate:
          compile(*f, *site_of(type, d.key), p, own);
          break;
        case ValueKind::MapTemplate:
          for (auto& e : f->fields)
            compile(e.value, *site_of(type, d.key), join_path(p, e.name), own);
          break;
        case ValueKind::MapTemplates:
          for (auto& e : f->fields) {
            for (std::size_t i = 0; i < e.value.items.size(); ++i) {
              compile(e.value.items[i], *site_of(type, d.key), index_path(join_path(p, e.name), i),
                      own);
            }
          }
          break;
        case ValueKind::Table:
          table(d.facets.sub, *f, p, own);
          break;
        case ValueKind::TableArray:
          for (std::size_t i = 0; i < f->items.size(); ++i)
            table(d.facets.sub, f->items[i], index_path(p, i), own);
          break;
        default:
          break;
      }
    }
  }

 private:
  Groups route_groups(const ir::Value& route) const {
    const ir::Value* r = route.get("regex");
    if (r == nullptr || r->sint < 0 || static_cast<std::size_t>(r->sint) >= doc_.regexes.size()) {
      return std::nullopt;
    }
    return doc_.regexes[static_cast<std::size_t>(r->sint)].compiled.group_names;
  }

  void compile(ir::Value& v, ex::Site site, const std::string& path, const Groups& groups) {
    std::vector<ex::ExprDiagnostic> diags;
    const auto result =
        ex::compile_expr(v.str, ex::form_of(site), ex::Context{site, groups}, diags);
    for (const auto& d : diags) report(d, v, path);
    if (!result || result->literal) return;
    // cli.md §4: dump (and diff) show compiled expressions in canonical source form, so a
    // whitespace-only edit is not a change.
    v.str = result->canonical_source;
    if (doc_.programs.size() >= kMaxPrograms) {
      ctx_.report(Code::FX0810, path, "too many expressions (at most 4096 per snapshot)", v.origin);
      return;
    }
    doc_.programs.push_back(result->program);
    v.expr = static_cast<std::int32_t>(doc_.programs.size() - 1);
  }

  void report(const ex::ExprDiagnostic& d, const ir::Value& v, const std::string& path) {
    const CodeInfo* info = find_code(d.code);
    const Code code = info != nullptr ? info->code : Code::FX0899;
    Diagnostic& out =
        ctx_.report_at(code, path, d.message, ctx_.string_range(v.origin, d.begin, d.end));
    for (const auto& h : d.helps) add_help(out, h);
    for (const auto& n : d.notes) add_note(out, n);
  }

  Context& ctx_;
  ir::Document& doc_;
};

}  // namespace

void compile_expressions(Context& ctx, ir::Document& doc) {
  Compiler(ctx, doc).table(TableType::Config, doc.root, "", std::nullopt);
}

}  // namespace flux::compiler
