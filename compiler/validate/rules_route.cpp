// [[vhosts.routes]], redirects and error pages (config-reference.md §7.2, §7.4, §8.3).

#include <algorithm>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/rules.hpp"
#include "snapshot/regex/regex.hpp"

namespace flux::compiler {
namespace {

constexpr std::string_view kMatchers[] = {"path_exact", "path_prefix", "path_regex"};
constexpr std::string_view kActions[] = {"redirect", "proxy", "web", "php", "respond"};

// expressions.md §8: the linear-time dialect; errors point inside the string (FX0408). The
// compiled program is kept for Routing.regexes and its group names for route.regex.NAME.
void compile_route_regex(TableCtx& t) {
  const ir::Value& v = *t.get("path_regex");
  const auto result = snapshot::regex::compile_regex(v.str);
  if (!result.ok()) {
    t.failed.emplace("path_regex");
    const std::size_t at = std::min(result.error.offset, v.str.size());
    t.ctx.report_at(Code::FX0408, t.key_path("path_regex"),
                    "routes.path_regex: " + result.error.message,
                    t.ctx.string_range(v.origin, at, std::min(at + 1, v.str.size())));
    return;
  }
  auto& regexes = t.ctx.regexes();
  regexes.push_back(ir::RouteRegex{v.str, *result.regex});
  t.table.set("regex", ir::Value::of_sint(static_cast<std::int64_t>(regexes.size() - 1)));
}

void check_matcher(TableCtx& t) {
  int count = t.flag("fallback") ? 1 : 0;
  for (const auto m : kMatchers) count += t.get(m) != nullptr || !t.ok(m) ? 1 : 0;
  if (count != 1) {
    t.error_table(
        Code::FX0404,
        "route needs exactly one of path_exact, path_prefix, path_regex, or fallback = true");
  }
  for (const auto m : {"path_exact", "path_prefix"}) {
    if (t.get(m) && !is_clean_request_path(t.str(m))) {
      t.error(Code::FX0407, m,
              "must be an absolute URI path without dot segments, query, fragment, backslash, or "
              "control characters");
    }
  }
  if (t.get("path_regex")) compile_route_regex(t);
}

void check_methods(TableCtx& t) {
  const auto& methods = items_of(t, "methods");
  for (std::size_t i = 0; i < methods.size(); ++i) {
    if (!is_method_token(methods[i].str)) {
      item_error(t, Code::FX0108, "methods", i, "methods must be uppercase HTTP method tokens");
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (methods[j].str == methods[i].str) {
        item_error(t, Code::FX0107, "methods", i, "contains duplicate methods");
        break;
      }
    }
  }
}

void check_rewrites(TableCtx& t) {
  if (t.get("strip_prefix")) {
    const std::string_view strip = t.str("strip_prefix"), prefix = t.str("path_prefix");
    if (!t.get("path_prefix")) {
      t.error(Code::FX0205, "strip_prefix", "requires path_prefix");
    } else if (!strip.starts_with(prefix) && !prefix.starts_with(strip)) {
      t.error(Code::FX0205, "strip_prefix",
              "must be a prefix of path_prefix (or the other way round)");
    }
  }
  if (t.get("rewrite_prefix")) {
    const std::string_view rw = t.str("rewrite_prefix");
    if (!t.get("strip_prefix")) {
      t.error(Code::FX0205, "rewrite_prefix", "requires strip_prefix");
    } else if (rw.find_first_of("% \t\r\n") != std::string_view::npos) {
      t.error(Code::FX0108, "rewrite_prefix", "must not contain `%` or whitespace");
    }
  }
  if (t.get("rewrite_template")) {
    if (!t.get("path_regex")) {
      t.error(Code::FX0205, "rewrite_template", "requires path_regex");
    } else if (t.get("strip_prefix") || t.get("rewrite_prefix")) {
      t.error(Code::FX0205, "rewrite_template",
              "cannot be combined with strip_prefix or rewrite_prefix");
    }
  }
}

void check_action(TableCtx& t) {
  int count = 0;
  for (const auto a : kActions) count += t.get(a) != nullptr || !t.ok(a) ? 1 : 0;
  if (count != 1) {
    t.error_table(Code::FX0405,
                  "route needs exactly one action: redirect, proxy, web, php, or respond");
    return;
  }
  if (const ir::Value* php = t.get("php")) {
    const ir::Value* enabled = php->get("enabled");
    if (enabled == nullptr || !enabled->boolean) {
      t.error(Code::FX0405, "php", "a route's php action must have enabled = true");
    }
  }
}

}  // namespace

void rules_route(TableCtx& t) {
  check_name(t, Code::FX0404, "route");
  check_matcher(t);
  check_methods(t);
  check_rewrites(t);
  check_action(t);
}

void rules_redirect(TableCtx& t) {
  // A route's redirect is an action: `to` is always required (§7.4); a vhost redirect only when
  // enabled (§7.2 "When false, nothing else is checked").
  const bool route = t.path.find(".routes[") != std::string::npos;
  if (!route && !t.flag("enabled")) return;
  if (!t.get("to")) {
    if (t.ok("to")) {
      t.error_field(
          Code::FX0102, "to", "",
          route ? "route redirect requires `to`" : "enabled vhost redirect requires `to`");
    }
    return;
  }
  // The target rules of §7.2 (FX0406) and the variable rules (FX0812) are checked by the
  // expression compiler on the parsed template (expressions.cpp).
}

void rules_error_page(TableCtx& t) {
  if (!t.get("status")) {
    t.error_field(Code::FX0102, "status", "", "missing required key `status`");
  } else if (t.num("status") < 400 || t.num("status") > 599) {
    t.error(Code::FX0510, "status", "must be between 400 and 599");
  }
  if (!t.get("path")) {
    t.error_field(Code::FX0102, "path", "", "missing required key `path`");
  } else if (!is_clean_request_path(t.str("path"))) {
    t.error(Code::FX0510, "path", "must be an absolute internal request path");
  }
  const ir::Value* web = t.get("web");
  const ir::Value* root = web != nullptr ? web->get("root") : nullptr;
  if (t.ok("web") && (root == nullptr || !root->present())) {
    t.error_field(Code::FX0510, "web", "php.error_pages.web.root",
                  "is required for each PHP error page");
  }
}

}  // namespace flux::compiler
