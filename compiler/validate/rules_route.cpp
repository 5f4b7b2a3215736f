// [[vhosts.routes]], redirects and error pages (config-reference.md §7.2, §7.4, §8.3).

#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

constexpr std::string_view kMatchers[] = {"path_exact", "path_prefix", "path_regex"};
constexpr std::string_view kActions[] = {"redirect", "proxy", "web", "php", "respond"};

void check_matcher(TableCtx& t) {
  int count = t.flag("fallback") ? 1 : 0;
  for (const auto m : kMatchers) count += t.get(m) != nullptr || !t.ok(m) ? 1 : 0;
  if (count != 1) {
    t.error_table(Code::FX0404,
                  "route needs exactly one of path_exact, path_prefix, path_regex, or fallback = true");
  }
  for (const auto m : {"path_exact", "path_prefix"}) {
    if (t.get(m) && !is_clean_request_path(t.str(m))) {
      t.error(Code::FX0407, m,
              "must be an absolute URI path without dot segments, query, fragment, backslash, or "
              "control characters");
    }
  }
  if (t.get("path_regex") && (t.str("path_regex").empty() || t.str("path_regex").size() > 4096)) {
    t.error(Code::FX0408, "path_regex", "must be 1 to 4096 bytes");
  }
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
      t.error(Code::FX0205, "strip_prefix", "must be a prefix of path_prefix (or the other way round)");
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
      t.error(Code::FX0205, "rewrite_template", "cannot be combined with strip_prefix or rewrite_prefix");
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

// Redirect-target rules of §7.2 on the template text.
std::optional<std::string> redirect_target_problem(std::string_view to) {
  std::size_t scheme = to.starts_with("https://") ? 8 : to.starts_with("http://") ? 7 : 0;
  if (scheme == 0) return "redirect target must start with http:// or https://";
  if (to.find_first_of(" \t\r\n") != std::string_view::npos || has_ctl(to)) {
    return "redirect target must not contain whitespace or control characters";
  }
  const std::size_t path_at = std::min(to.find('/', scheme), to.find('?', scheme));
  const std::string_view authority = to.substr(scheme, path_at == std::string_view::npos ? std::string_view::npos : path_at - scheme);
  const std::string_view rest = path_at == std::string_view::npos ? std::string_view() : to.substr(path_at);
  if (authority.find("{query}") != std::string_view::npos) return "`{query}` is not allowed in the authority";
  if (rest.find("/{path}") != std::string_view::npos || rest.find("/{uri}") != std::string_view::npos) {
    return "`{path}` and `{uri}` start with `/`; write them directly after the authority";
  }
  // Substitute `/` for {uri}/{path} and "" for every other variable, then check the shape.
  std::string sub;
  for (std::size_t i = scheme; i < to.size(); ++i) {
    if (to[i] == '{' && i + 1 < to.size() && to[i + 1] != '{') {
      const std::size_t close = to.find('}', i);
      if (close == std::string_view::npos) return std::nullopt;  // FX0809 from the expression compiler
      const std::string_view var = to.substr(i + 1, close - i - 1);
      sub += (var == "uri" || var == "path") ? "/" : "";
      i = close;
    } else {
      sub.push_back(to[i]);
    }
  }
  const std::size_t p = std::min(sub.find('/'), sub.find('?'));
  const std::string auth = sub.substr(0, p);
  const std::string path = p == std::string::npos ? "" : sub.substr(p, sub.find('?', p) - p);
  const bool auth_ok = is_dns_name(auth) || parse_ip(auth) || is_host_port(auth);
  if (!auth_ok) return "redirect target must have a valid host[:port] authority";
  if (path.find("//") != std::string::npos || path.find('\\') != std::string::npos ||
      (!path.empty() && !is_clean_request_path(path))) {
    return "redirect target path must not contain `//`, `.` or `..` segments, or `\\`";
  }
  return std::nullopt;
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
      t.error_field(Code::FX0102, "to", "",
                    route ? "route redirect requires `to`" : "enabled vhost redirect requires `to`");
    }
    return;
  }
  const std::string_view to = t.str("to");
  if (to.find("{header.") != std::string_view::npos || to.find("{cookie.") != std::string_view::npos) {
    add_help(t.error_field(Code::FX0812, "to", "",
                           "`header.*` and `cookie.*` variables are not allowed in redirect targets"),
             "use {host}");
    return;
  }
  if (auto problem = redirect_target_problem(to)) t.error_field(Code::FX0406, "to", "", *problem);
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
    t.error_field(Code::FX0510, "web", "php.error_pages.web.root", "is required for each PHP error page");
  }
}

}  // namespace flux::compiler
