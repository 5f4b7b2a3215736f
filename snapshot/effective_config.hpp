#pragma once
// A generic walker over Snapshot.config through the reflection schema: the effective
// configuration as (key_path, JSON value, is_default) entries, in schema order with routes in
// match order. Used by `fluxc dump`; the value helpers are shared with the reload classifier.

#include <string>
#include <vector>

namespace reflection {
struct Object;
struct Field;
}  // namespace reflection
namespace flatbuffers {
class Table;
}
namespace flux::fxs {
struct Snapshot;
}

namespace flux::snapshot {

struct EffectiveEntry {
  std::string key_path;  // vhosts["a"].php.max_in_flight
  std::string json;      // compact JSON of the effective value (null when unset)
  bool is_default = false;
};

std::vector<EffectiveEntry> effective_config(const fxs::Snapshot& snapshot);

// --- helpers shared with classifier.cpp -------------------------------------------------------
const reflection::Object& schema_object(const char* qualified_name);
const reflection::Object& field_object(const reflection::Field& f);  // Obj / vector-of-Obj type
std::string short_name(const reflection::Object& obj);               // "flux.fxs.Php" -> "Php"
bool has_attribute(const reflection::Field& f, const char* name);
// Fields in declaration order, without `internal` ones.
std::vector<const reflection::Field*> visible_fields(const reflection::Object& obj);
// Compact JSON of one field: scalars, strings, lists, `map` vectors as objects, `expr` templates
// as their source, tables and unkeyed vectors of tables as objects/arrays.
std::string field_json(const flatbuffers::Table& t, const reflection::Field& f);
std::string table_json(const reflection::Object& obj, const flatbuffers::Table& t);
std::string json_quote(std::string_view s);
// The `name` string of a keyed element (vhost or route).
std::string element_name(const flatbuffers::Table& t, const reflection::Object& obj);

}  // namespace flux::snapshot
