// The "=rule" defaults of directives.def that depend on other keys of the same table. The
// same rules are mirrored by snapshot/effective_config.cpp to mark effective values as defaults.

#include <algorithm>

#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

ir::Origin defaulted(const TableCtx& t) {
  ir::Origin o = t.table.origin;
  o.defaulted = true;
  o.key = {};
  return o;
}

void set_default_uint(TableCtx& t, std::string_view key, std::uint64_t v) {
  if (t.table.get(key) == nullptr && t.ok(key))
    t.table.set(key, ir::Value::of_uint(v, defaulted(t)));
}

void php_defaults(TableCtx& t) {
  // §8.1: fpm_root defaults to root; max_queued to 4 x max_in_flight.
  if (t.table.get("fpm_root") == nullptr && t.get("root")) {
    ir::Value v = *t.get("root");
    v.origin = defaulted(t);
    t.table.set("fpm_root", std::move(v));
  }
  if (t.get("max_in_flight")) set_default_uint(t, "max_queued", 4 * t.num("max_in_flight"));
}

void fpm_defaults(TableCtx& t) {
  const bool managed = t.str("mode") == "managed";
  // §9.2 / §11: keepalive defaults to true in managed mode (deliberate difference).
  if (t.table.get("keepalive") == nullptr && t.ok("keepalive")) {
    t.table.set("keepalive", ir::Value::of_bool(managed, defaulted(t)));
  }
  set_default_uint(t, "pool_max_idle", 8);
  // §9.2 max_connections: managed -> workers; external with keepalive -> pool_max_idle.
  // A source key that failed validation (or is 0) yields no derived default, so one mistake
  // gives one diagnostic.
  if (managed && t.get("workers")) {
    set_default_uint(t, "max_connections", t.num("workers"));
  } else if (!managed && t.flag("keepalive") && t.num("pool_max_idle") > 0) {
    set_default_uint(t, "max_connections", t.num("pool_max_idle"));
  }
  // An unset pool_max_idle never exceeds the connection cap: with the managed default of
  // 4 workers, the static default 8 would otherwise make every default pool invalid (§9.2
  // "pool_max_idle > max_connections -> error" applies to values the operator wrote).
  ir::Value* idle = t.table.get("pool_max_idle");
  if (idle != nullptr && idle->origin.defaulted && t.get("max_connections")) {
    idle->uint = std::min(idle->uint, t.num("max_connections"));
  }
  // §9.3 dynamic: start_servers = floor((min+max)/2) clamped to [min, max].
  if (managed && t.str("process_manager") == "dynamic" && t.get("min_spare_servers") &&
      t.get("max_spare_servers")) {
    const std::uint64_t lo = t.num("min_spare_servers"), hi = t.num("max_spare_servers");
    set_default_uint(t, "start_servers",
                     std::clamp((lo + hi) / 2, std::min(lo, hi), std::max(lo, hi)));
  }
}

}  // namespace

void computed_defaults(TableCtx& t) {
  if (t.type == TableType::Php) php_defaults(t);
  if (t.type == TableType::Fpm) fpm_defaults(t);
  if (t.type == TableType::VhostTls && t.table.get("enabled") == nullptr) {
    // Decided in cross_checks.cpp once the listeners and certificates are known (§3).
    t.table.set("enabled", ir::Value::of_bool(false, defaulted(t)));
  }
}

}  // namespace flux::compiler
