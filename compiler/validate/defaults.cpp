#include "compiler/validate/defaults.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <unordered_map>

#include "compiler/validate/walker.hpp"

namespace flux::compiler {
namespace {

ir::Value from_json(const boost::json::value& j, const ir::Origin& o) {
  switch (j.kind()) {
    case boost::json::kind::bool_:
      return ir::Value::of_bool(j.get_bool(), o);
    case boost::json::kind::int64:
      return ir::Value::of_uint(static_cast<std::uint64_t>(j.get_int64()), o);
    case boost::json::kind::uint64:
      return ir::Value::of_uint(j.get_uint64(), o);
    case boost::json::kind::string:
      return ir::Value::of_str(std::string(j.get_string()), o);
    case boost::json::kind::array: {
      ir::Value list = ir::Value::list(o);
      for (const auto& item : j.get_array()) list.items.push_back(from_json(item, o));
      return list;
    }
    default:
      return ir::Value::table(o);  // "{}": an empty map
  }
}

void set_origin(ir::Value& v, const ir::Origin& o) {
  v.origin = o;
  for (auto& item : v.items) set_origin(item, o);
}

}  // namespace

ir::Value parse_default(const Directive& d, const ir::Origin& origin) {
  // Converted once per directive; copies carry the caller's origin.
  static std::unordered_map<const Directive*, ir::Value> cache;
  auto it = cache.find(&d);
  if (it == cache.end()) {
    ir::Value v = from_json(boost::json::parse(d.default_json), {});
    if (d.kind == ValueKind::Threads && v.kind == ir::Value::Kind::Str) v = ir::Value::of_uint(0);
    it = cache.emplace(&d, std::move(v)).first;
  }
  ir::Value v = it->second;
  set_origin(v, origin);
  return v;
}

void fill_static_defaults(TableCtx& t) {
  ir::Origin o = t.table.origin;
  o.defaulted = true;
  o.key = {};
  for (const Directive& d : table_info(t.type).keys) {
    if (t.table.get(d.key) != nullptr || !t.ok(d.key) || d.default_json.empty() ||
        d.default_json.front() == '=') {
      continue;
    }
    if (d.kind == ValueKind::Table && d.facets.sub == TableType::Headers &&
        t.type != TableType::Config) {
      // A vhost/route without a header overlay inherits its parent's merged policy (merge.cpp):
      // building an all-default overlay per vhost would only be thrown away.
      continue;
    }
    if (d.kind == ValueKind::Table) {
      t.table.set(d.key, default_table(t.ctx, d.facets.sub, o, t.key_path(d.key)));
    } else {
      t.table.set(d.key, parse_default(d, o));
    }
  }
}

}  // namespace flux::compiler
