#include "compiler/driver/json_schema.hpp"

#include <boost/json.hpp>
#include <limits>
#include <string>

#include "compiler/validate/compat.hpp"
#include "compiler/validate/directive.hpp"

namespace flux::compiler {
namespace {

namespace json = boost::json;

json::array split(std::string_view values, bool as_int) {
  json::array out;
  while (!values.empty()) {
    const auto bar = values.find('|');
    const std::string item(values.substr(0, bar));
    if (as_int)
      out.push_back(std::stoll(item));
    else
      out.push_back(json::string(item));
    values = bar == std::string_view::npos ? std::string_view() : values.substr(bar + 1);
  }
  return out;
}

std::uint64_t int_max(ValueKind k) {
  switch (k) {
    case ValueKind::U8:
      return 255;
    case ValueKind::U16:
      return 65535;
    case ValueKind::U32:
      return std::numeric_limits<std::uint32_t>::max();
    case ValueKind::I32:
      return std::numeric_limits<std::int32_t>::max();
    default:
      return static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  }
}

json::object integer(const Directive& d) {
  json::object o{{"type", "integer"}};
  const bool ranged = d.facets.min != 0 || d.facets.max != 0;
  o["minimum"] = d.kind == ValueKind::I32 ? -1 : (ranged ? d.facets.min : 0);
  o["maximum"] = ranged && d.facets.max != std::numeric_limits<std::uint64_t>::max()
                     ? d.facets.max
                     : int_max(d.kind);
  if (!d.facets.values.empty()) o["enum"] = split(d.facets.values, true);
  return o;
}

json::object ref(TableType t) { return {{"$ref", "#/$defs/" + std::string(table_info(t).name)}}; }

json::object string_list(const Directive& d) {
  json::object items{{"type", "string"}};
  if (!d.facets.values.empty()) items["enum"] = split(d.facets.values, false);
  if (d.kind == ValueKind::HeaderList) items["pattern"] = "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$";
  return {{"type", "array"}, {"items", std::move(items)}};
}

json::object value_schema(const Directive& d) {
  switch (d.kind) {
    case ValueKind::Bool:
      return {{"type", "boolean"}};
    case ValueKind::U8:
    case ValueKind::U16:
    case ValueKind::U32:
    case ValueKind::U64:
    case ValueKind::I32:
      return integer(d);
    case ValueKind::Secs:
    case ValueKind::OptSecs:
      return {{"type", "integer"}, {"minimum", 1}, {"maximum", 86400}};
    case ValueKind::ByteSize:
      return {{"oneOf",
               json::array{
                   json::object{{"type", "integer"}, {"minimum", 0}},
                   json::object{{"type", "string"},
                                {"pattern", "^\\s*[0-9]+\\s*([KkMmGg]([Ii]?[Bb])?|[Bb])?\\s*$"}}}}};
    case ValueKind::Threads:
      return {{"oneOf",
               json::array{json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", 1024}},
                           json::object{{"const", "auto"}}}}};
    case ValueKind::Enum:
      return {{"type", "string"}, {"enum", split(d.facets.values, false)}};
    case ValueKind::HeaderName:
      return {{"type", "string"}, {"pattern", "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$"}};
    case ValueKind::U16List:
      return {{"type", "array"},
              {"items", {{"type", "integer"}, {"minimum", 0}, {"maximum", 65535}}}};
    case ValueKind::StrList:
    case ValueKind::HeaderList:
    case ValueKind::HostPortList:
    case ValueKind::SocketAddrList:
      return string_list(d);
    case ValueKind::Table:
      return ref(d.facets.sub);
    case ValueKind::TableArray:
      return {{"type", "array"}, {"items", ref(d.facets.sub)}};
    case ValueKind::MapStr:
    case ValueKind::MapTemplate:
      return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
    case ValueKind::MapU32:
      return {{"type", "object"},
              {"additionalProperties",
               {{"type", "integer"}, {"minimum", 0}, {"maximum", 4294967295LL}}}};
    case ValueKind::MapTemplates:
      return {{"type", "object"},
              {"additionalProperties",
               {{"oneOf", json::array{json::object{{"type", "string"}},
                                      json::object{{"type", "array"},
                                                   {"items", {{"type", "string"}}},
                                                   {"maxItems", 32}}}}}}};
    default: {
      json::object o{{"type", "string"}};
      if (d.facets.max != 0) o["maxLength"] = d.facets.max;
      return o;
    }
  }
}

json::object property(const Directive& d) {
  json::object p = value_schema(d);
  if (d.facets.max_items != 0 && (is_list(d.kind) || d.kind == ValueKind::TableArray))
    p["maxItems"] = d.facets.max_items;
  if (d.facets.max_items != 0 && is_map(d.kind)) p["maxProperties"] = d.facets.max_items;
  if (!d.default_json.empty() && d.default_json.front() != '=' && d.kind != ValueKind::Table) {
    p["default"] = json::parse(d.default_json);
  }
  p["description"] =
      std::string(d.doc) + " Reload: " + std::string(snapshot::reload_class_name(d.reload)) + ".";
  return p;
}

json::object table_schema(const TableInfo& t) {
  json::object props;
  for (const auto& d : t.keys) props[d.key] = property(d);
  for (const auto& d : t.keys) {
    // Accepted aliases (config-reference.md §4.1, §10) share the canonical key's schema.
    for (const auto alias : {"unset", "add", "extensions"}) {
      const Alias* a = find_alias(t.type, alias);
      if (a != nullptr && a->canonical == d.key) {
        json::object p = property(d);
        p["deprecated"] = a->deprecated;
        props[alias] = std::move(p);
      }
    }
  }
  return {{"type", "object"},
          {"description", t.doc},
          {"additionalProperties", false},
          {"properties", std::move(props)}};
}

}  // namespace

json::object json_schema() {
  json::object defs;
  for (const auto& t : all_tables()) {
    if (t.type != TableType::Config) defs[t.name] = table_schema(t);
  }
  json::object root = table_schema(table_info(TableType::Config));
  json::object out{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                   {"$id", "https://fluxheim.invalid/schema/site-1.json"},
                   {"title", "Fluxheim site.toml"}};
  for (auto& kv : root) out[kv.key()] = std::move(kv.value());
  out["$defs"] = std::move(defs);
  return out;
}

}  // namespace flux::compiler
