// [[vhosts]] and [vhosts.web] (config-reference.md §7, §7.1). Host uniqueness across vhosts and
// default_vhost are cross-references (cross_checks.cpp).

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <sys/stat.h>
#include "compiler/validate/checks.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

// §7 hosts: a DNS name or IP literal (lowercased, trailing dot removed, no port) or `*.suffix`.
std::optional<std::string> normalize_config_host(std::string_view raw) {
  std::string h(raw);
  for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!h.empty() && h.back() == '.') h.pop_back();
  if (h.starts_with("*.")) {
    const std::string suffix = h.substr(2);
    if (!is_dns_name(suffix) || suffix.find('*') != std::string::npos) return std::nullopt;
    return h;
  }
  const std::string bare =
      h.size() > 2 && h.front() == '[' && h.back() == ']' ? h.substr(1, h.size() - 2) : h;
  if (const auto ip = parse_ip(bare)) return ip->v4 ? bare : "[" + bare + "]";
  if (!is_dns_name(h)) return std::nullopt;
  return h;
}

void check_hosts(TableCtx& t) {
  ir::Value* hosts = t.table.get("hosts");
  if (hosts == nullptr || !hosts->present()) {
    if (t.ok("hosts")) t.error_field(Code::FX0102, "hosts", "", "missing required key `hosts`");
    return;
  }
  if (hosts->items.empty()) {
    t.error_field(Code::FX0102, "hosts", "", "at least one host is required");
    return;
  }
  for (std::size_t i = 0; i < hosts->items.size(); ++i) {
    ir::Value& h = hosts->items[i];
    if (auto norm = normalize_config_host(h.str)) {
      h.str = *norm;
    } else {
      t.failed.emplace("hosts");
      t.ctx.report(Code::FX0402, index_path(t.key_path("hosts"), i), "invalid host `" + h.str + "`",
                   h.origin);
    }
  }
}

// §7.4: route names are unique within the vhost; a path_exact route repeated after one without
// `when` can never match (warning FX0909).
void check_routes(TableCtx& t) {
  const ir::Value* routes = t.get("routes");
  if (routes == nullptr) return;
  std::map<std::string, const ir::Value*> names;
  for (std::size_t i = 0; i < routes->items.size(); ++i) {
    const ir::Value& r = routes->items[i];
    const ir::Value* name = r.get("name");
    if (name == nullptr || !name->present()) continue;
    const auto [it, fresh] = names.emplace(name->str, name);
    if (!fresh) {
      add_note(t.ctx.report(Code::FX0404, join_path(index_path(t.key_path("routes"), i), "name"),
                            "duplicate route name `" + name->str + "`", name->origin),
               "first defined", it->second->origin.value);
    }
  }
  for (std::size_t i = 0; i < routes->items.size(); ++i) {
    const ir::Value* exact = routes->items[i].get("path_exact");
    if (exact == nullptr || !exact->present()) continue;
    for (std::size_t j = 0; j < i; ++j) {
      const ir::Value& earlier = routes->items[j];
      const ir::Value* e = earlier.get("path_exact");
      const ir::Value* when = earlier.get("when");
      const ir::Value* methods = earlier.get("methods");
      if (e == nullptr || !e->present() || e->str != exact->str || (when && when->present()))
        continue;
      if (methods != nullptr && !methods->items.empty()) continue;
      add_note(
          t.ctx.report(Code::FX0909, join_path(index_path(t.key_path("routes"), i), "path_exact"),
                       "route can never match: an earlier route has the same path_exact and no "
                       "`when`",
                       exact->origin),
          "shadowed by", e->origin.value);
      break;
    }
  }
}

// §7.4 route selection order, precomputed for the runtime (fxs.fbs Vhost internal fields):
// exact in declaration order, prefixes longest first (ties in declaration order), regexes in
// declaration order, and the last declared fallback.
void route_order(TableCtx& t) {
  const ir::Value* routes = t.get("routes");
  ir::Value exact = ir::Value::list(), prefix = ir::Value::list(), regex = ir::Value::list();
  std::vector<std::pair<std::size_t, std::uint64_t>> prefixes;
  std::int64_t fallback = -1;
  for (std::size_t i = 0; routes != nullptr && i < routes->items.size(); ++i) {
    const ir::Value& r = routes->items[i];
    auto has = [&](std::string_view k) { return r.get(k) != nullptr && r.get(k)->present(); };
    if (has("path_exact")) exact.items.push_back(ir::Value::of_uint(i));
    if (has("path_prefix")) prefixes.emplace_back(r.get("path_prefix")->str.size(), i);
    if (has("path_regex")) regex.items.push_back(ir::Value::of_uint(i));
    if (has("fallback") && r.get("fallback")->boolean) fallback = static_cast<std::int64_t>(i);
  }
  std::stable_sort(prefixes.begin(), prefixes.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& p : prefixes) prefix.items.push_back(ir::Value::of_uint(p.second));
  t.table.set("exact_routes", std::move(exact));
  t.table.set("prefix_routes", std::move(prefix));
  t.table.set("regex_routes", std::move(regex));
  t.table.set("fallback_route", ir::Value::of_sint(fallback));
}

}  // namespace

void rules_vhost(TableCtx& t) {
  check_name(t, Code::FX0401, "vhost");
  check_hosts(t);
  check_routes(t);
  route_order(t);
}

void rules_web(TableCtx& t) {
  const auto& index = items_of(t, "index_files");
  if (t.ok("index_files") && index.empty()) {
    t.error(Code::FX0106, "index_files", "at least one index file is required");
  }
  for (std::size_t i = 0; i < index.size(); ++i) {
    const std::string& n = index[i].str;
    if (is_blank(n) || n.find_first_of("/\\") != std::string::npos || n == "." || n == "..") {
      item_error(t, Code::FX0108, "index_files", i, "invalid index file `" + n + "`");
    }
  }
  const auto& prefixes = items_of(t, "deny_path_prefixes");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (!is_clean_request_path(prefixes[i].str)) {
      item_error(t, Code::FX0407, "deny_path_prefixes", i,
                 "prefixes must be absolute URI paths without dot segments, query, fragment, "
                 "backslash, or control characters");
    } else if (!seen.insert(prefixes[i].str).second) {
      item_error(t, Code::FX0407, "deny_path_prefixes", i, "duplicate prefixes are not allowed");
    }
  }
  if (t.ctx.options().host_checks && t.given("root") && t.ok("root")) {
    struct stat st {};
    const std::string root(t.str("root"));
    if (::stat(root.c_str(), &st) != 0) {
      t.warn(Code::FX0901, "root", "web.root `" + root + "` does not exist on this host");
    }
  }
}

}  // namespace flux::compiler
