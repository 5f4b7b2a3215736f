// [vhosts.cache] / [vhosts.routes.cache] / [cache] (config-reference.md §10).

#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

void check_storage(TableCtx& t) {
  const ir::Value* memory = t.get("memory");
  const ir::Value* mem_enabled = memory != nullptr ? memory->get("enabled") : nullptr;
  const bool tier = mem_enabled != nullptr && mem_enabled->boolean;
  if (t.flag("enabled") && !tier) {
    t.error_field(Code::FX0701, "enabled", "",
                  "cache.enabled requires a storage tier; set memory.enabled = true");
  }
  const ir::Value* size = memory != nullptr ? memory->get("max_size_bytes") : nullptr;
  if (size != nullptr && size->present() && t.ok("max_object_bytes") &&
      size->uint < t.num("max_object_bytes")) {
    t.ctx.report(Code::FX0701, join_path(t.key_path("memory"), "max_size_bytes"),
                 "cache.memory.max_size_bytes: cache tier is smaller than max_object_bytes",
                 size->origin.defaulted ? t.origin("max_object_bytes") : size->origin);
  }
}

void check_methods_and_statuses(TableCtx& t) {
  const auto& methods = items_of(t, "methods");
  for (std::size_t i = 0; i < methods.size(); ++i) {
    if (methods[i].str != "GET" && methods[i].str != "HEAD") {
      item_error(t, Code::FX0701, "methods", i, "only GET and HEAD are cacheable");
    }
  }
  if (const ir::Value* ttls = t.get("status_ttls")) {
    for (const auto& f : ttls->fields) {
      const bool digits =
          f.name.size() == 3 && f.name.find_first_not_of("0123456789") == std::string::npos;
      const int status = digits ? std::stoi(f.name) : 0;
      if (status < 200 || status > 599) {
        t.ctx.report_at(Code::FX0701, join_path(t.key_path("status_ttls"), f.name),
                        "cache.status_ttls: keys must be HTTP statuses from 200 through 599",
                        f.value.origin.key);
      }
    }
  }
  const auto& stale = items_of(t, "stale_if_error_statuses");
  for (std::size_t i = 0; i < stale.size(); ++i) {
    if (stale[i].uint < 500 || stale[i].uint > 599) {
      item_error(t, Code::FX0701, "stale_if_error_statuses", i,
                 "statuses must be between 500 and 599");
    }
  }
}

void check_key(TableCtx& t) {
  const auto& parts = items_of(t, "key_parts");
  if (t.ok("key_parts") && parts.empty())
    t.error(Code::FX0701, "key_parts", "at least one key part is required");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!seen.insert(parts[i].str).second)
      item_error(t, Code::FX0701, "key_parts", i, "duplicate key parts are not allowed");
  }
  if (t.given("key_template") && t.given("key_parts")) {
    t.error(Code::FX0205, "key_template", "configure only one of key_template or key_parts");
  }
  if (t.get("key_namespace")) {
    const std::string_view ns = t.str("key_namespace");
    const bool ok = !ns.empty() && ns.size() <= 128 &&
                    ns.find_first_not_of(
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") ==
                        std::string_view::npos;
    if (!ok)
      t.error(Code::FX0701, "key_namespace", "must be 1 to 128 characters of [A-Za-z0-9._:-]");
  }
}

void check_paths(TableCtx& t) {
  for (const auto key : {"bypass_path_prefixes", "bypass_path_exact"}) {
    const auto& paths = items_of(t, key);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (!is_clean_request_path(paths[i].str)) {
        item_error(t, Code::FX0407, key, i,
                   "must be an absolute URI path without dot segments, query, fragment, backslash, "
                   "or control characters");
      }
    }
  }
}

}  // namespace

void rules_cache(TableCtx& t) {
  check_storage(t);
  check_methods_and_statuses(t);
  check_key(t);
  check_paths(t);
}

}  // namespace flux::compiler
