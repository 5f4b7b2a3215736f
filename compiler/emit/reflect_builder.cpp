#include "compiler/emit/reflect_builder.hpp"

#include <flatbuffers/reflection.h>

#include <algorithm>
#include <vector>

#include "snapshot/schema_bfbs.hpp"

namespace flux::compiler::emit {
namespace {

using reflection::BaseType;
using Off = flatbuffers::uoffset_t;

const reflection::Object& object_at(int index) {
  return *snapshot::schema().objects()->Get(static_cast<flatbuffers::uoffset_t>(index));
}

bool has_attr(const reflection::Field& f, std::string_view name) {
  return f.attributes() != nullptr &&
         f.attributes()->LookupByKey(std::string(name).c_str()) != nullptr;
}

// Fields in declaration (id) order; the reflection vector is sorted by name. Computed once per
// object: the emitter asks for every table of every vhost.
const std::vector<const reflection::Field*>& by_id(const reflection::Object& obj) {
  static std::map<const reflection::Object*, std::vector<const reflection::Field*>> cache;
  auto [it, fresh] = cache.try_emplace(&obj);
  if (fresh) {
    it->second.assign(obj.fields()->begin(), obj.fields()->end());
    std::sort(it->second.begin(), it->second.end(),
              [](auto* a, auto* b) { return a->id() < b->id(); });
  }
  return it->second;
}

bool is_offset_type(BaseType t) {
  return t == BaseType::String || t == BaseType::Vector || t == BaseType::Obj;
}

}  // namespace

Off ReflectBuilder::build(std::string_view object, const ir::Value& v) {
  const auto* obj = snapshot::schema().objects()->LookupByKey(std::string(object).c_str());
  return table(*obj, v);
}

Off ReflectBuilder::template_table(const ir::Value& v) {
  const auto src = fbb_.CreateString(v.str);
  const auto start = fbb_.StartTable();
  fbb_.AddOffset(4, flatbuffers::Offset<flatbuffers::String>(src));  // Template.source
  fbb_.AddElement<std::int32_t>(6, v.expr, -1);                      // Template.program
  return fbb_.EndTable(start);
}

Off ReflectBuilder::table(const reflection::Object& obj, const ir::Value& raw) {
  // Only shared tables (reached through a Ref) are looked up and remembered.
  const bool shared = raw.kind == ir::Value::Kind::Ref;
  const ir::Value& v = raw.deref();
  if (shared) {
    if (auto it = memo_.find(&v); it != memo_.end()) return it->second;
  }
  if (std::string_view(obj.name()->c_str()) == "flux.fxs.Template") return template_table(v);
  const auto& fields = by_id(obj);
  std::map<std::uint16_t, Off> offsets;
  for (const auto* f : fields) {
    if (!is_offset_type(f->type()->base_type())) continue;
    const ir::Value* fv = v.get(f->name()->c_str());
    if (fv == nullptr || !fv->present()) continue;
    offsets[f->offset()] = field_offset(*f, *fv);
  }
  const auto start = fbb_.StartTable();
  for (const auto* f : fields) {
    if (is_offset_type(f->type()->base_type())) {
      if (auto it = offsets.find(f->offset()); it != offsets.end()) {
        fbb_.AddOffset(f->offset(), flatbuffers::Offset<void>(it->second));
      }
    } else {
      scalar(*f, v.get(f->name()->c_str()));
    }
  }
  const Off end = fbb_.EndTable(start);
  if (shared) memo_[&v] = end;
  return end;
}

Off ReflectBuilder::field_offset(const reflection::Field& f, const ir::Value& v) {
  switch (f.type()->base_type()) {
    case BaseType::String:
      return fbb_.CreateString(v.str).o;
    case BaseType::Obj:
      return table(object_at(f.type()->index()), v);
    default:
      return vector(f, v);
  }
}

Off ReflectBuilder::vector(const reflection::Field& f, const ir::Value& v) {
  const BaseType elem = f.type()->element();
  if (elem == BaseType::Obj) {
    const reflection::Object& eobj = object_at(f.type()->index());
    if (has_attr(f, "map")) return map_vector(eobj, v);
    std::vector<flatbuffers::Offset<void>> items;
    for (const auto& item : v.items) items.emplace_back(table(eobj, item));
    return fbb_.CreateVector(items).o;
  }
  if (elem == BaseType::String) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> items;
    for (const auto& item : v.items) items.push_back(fbb_.CreateString(item.str));
    return fbb_.CreateVector(items).o;
  }
  auto ints = [&](auto zero) {
    using T = decltype(zero);
    std::vector<T> out;
    for (const auto& item : v.items) out.push_back(static_cast<T>(item.uint));
    return fbb_.CreateVector(out).o;
  };
  switch (elem) {
    case BaseType::UShort:
      return ints(std::uint16_t{});
    case BaseType::UInt:
      return ints(std::uint32_t{});
    default:
      return ints(std::uint8_t{});
  }
}

// `map` vectors ({name, value...} tables) are written sorted by name (cli.md §4 "maps are
// sorted by key"); the second field takes the IR value (a string, a Template, a list of
// Templates or a uint32).
Off ReflectBuilder::map_vector(const reflection::Object& elem, const ir::Value& v) {
  std::vector<const ir::Field*> entries;
  for (const auto& e : v.fields) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->name < b->name; });
  const auto& fields = by_id(elem);
  const reflection::Field& value_field = *fields[1];
  std::vector<flatbuffers::Offset<void>> out;
  for (const auto* e : entries) {
    const auto name = fbb_.CreateString(e->name);
    Off value = 0;
    const BaseType t = value_field.type()->base_type();
    if (t == BaseType::String) {
      value = fbb_.CreateString(e->value.str).o;
    } else if (t == BaseType::Obj) {
      value = template_table(e->value);
    } else if (t == BaseType::Vector) {
      std::vector<flatbuffers::Offset<void>> templates;
      for (const auto& item : e->value.items) templates.emplace_back(template_table(item));
      value = fbb_.CreateVector(templates).o;
    }
    const auto start = fbb_.StartTable();
    fbb_.AddOffset(fields[0]->offset(), name);
    if (value != 0) {
      fbb_.AddOffset(value_field.offset(), flatbuffers::Offset<void>(value));
    } else {
      scalar(value_field, &e->value);
    }
    out.emplace_back(fbb_.EndTable(start));
  }
  return fbb_.CreateVector(out).o;
}

void ReflectBuilder::scalar(const reflection::Field& f, const ir::Value* v) {
  const bool present = v != nullptr && v->present();
  if (!present && f.optional()) return;  // `= null` fields stay absent (fxs.fbs)
  const auto def = f.default_integer();
  const std::uint64_t u = present ? (v->kind == ir::Value::Kind::Bool ? v->boolean : v->uint)
                                  : static_cast<std::uint64_t>(def);
  const std::int64_t s =
      present && v->kind == ir::Value::Kind::SInt ? v->sint : static_cast<std::int64_t>(u);
  const auto at = f.offset();
  switch (f.type()->base_type()) {
    case BaseType::Bool:
      fbb_.AddElement<std::uint8_t>(at, u != 0, static_cast<std::uint8_t>(def));
      break;
    case BaseType::UByte:
      fbb_.AddElement<std::uint8_t>(at, static_cast<std::uint8_t>(u),
                                    static_cast<std::uint8_t>(def));
      break;
    case BaseType::UShort:
      fbb_.AddElement<std::uint16_t>(at, static_cast<std::uint16_t>(u),
                                     static_cast<std::uint16_t>(def));
      break;
    case BaseType::UInt:
      fbb_.AddElement<std::uint32_t>(at, static_cast<std::uint32_t>(u),
                                     static_cast<std::uint32_t>(def));
      break;
    case BaseType::Int:
      fbb_.AddElement<std::int32_t>(at, static_cast<std::int32_t>(s),
                                    static_cast<std::int32_t>(def));
      break;
    case BaseType::ULong:
      fbb_.AddElement<std::uint64_t>(at, u, static_cast<std::uint64_t>(def));
      break;
    default:
      break;
  }
}

}  // namespace flux::compiler::emit
