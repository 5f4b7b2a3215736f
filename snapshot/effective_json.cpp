// JSON rendering of snapshot values through the reflection schema (effective_config.hpp).

#include <flatbuffers/reflection.h>

#include <algorithm>
#include <cstdio>

#include "snapshot/effective_config.hpp"
#include "snapshot/schema_bfbs.hpp"

namespace flux::snapshot {

using reflection::BaseType;

const reflection::Object& schema_object(const char* name) {
  return *schema().objects()->LookupByKey(name);
}

const reflection::Object& field_object(const reflection::Field& f) {
  return *schema().objects()->Get(static_cast<flatbuffers::uoffset_t>(f.type()->index()));
}

std::string short_name(const reflection::Object& obj) {
  const std::string full = obj.name()->str();
  return full.substr(full.find_last_of('.') + 1);
}

bool has_attribute(const reflection::Field& f, const char* name) {
  return f.attributes() != nullptr && f.attributes()->LookupByKey(name) != nullptr;
}

std::vector<const reflection::Field*> visible_fields(const reflection::Object& obj) {
  std::vector<const reflection::Field*> out;
  for (const auto* f : *obj.fields()) {
    if (!has_attribute(*f, "internal")) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id() < b->id(); });
  return out;
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

namespace {

bool is_template(const reflection::Object& obj) { return obj.name()->str() == "flux.fxs.Template"; }

std::string template_json(const flatbuffers::Table* t) {
  if (t == nullptr) return "null";
  const auto* src = t->GetPointer<const flatbuffers::String*>(4);  // Template.source
  return src != nullptr ? json_quote(src->string_view()) : "null";
}

std::string scalar_json(const flatbuffers::Table& t, const reflection::Field& f) {
  if (f.optional() && !t.CheckField(f.offset())) return "null";
  if (f.type()->base_type() == BaseType::Bool)
    return flatbuffers::GetAnyFieldI(t, f) != 0 ? "true" : "false";
  return std::to_string(flatbuffers::GetAnyFieldI(t, f));
}

// `map` vectors: {name: value} with the second field as the value.
std::string map_json(const flatbuffers::VectorOfAny* vec, const reflection::Object& elem) {
  const auto fields = visible_fields(elem);
  std::string out = "{";
  for (flatbuffers::uoffset_t i = 0; i < vec->size(); ++i) {
    const auto* row = flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(vec, i);
    const auto* name = flatbuffers::GetFieldS(*row, *fields[0]);
    out += (i ? "," : "") + json_quote(name ? name->string_view() : "") + ":" +
           field_json(*row, *fields[1]);
  }
  return out + "}";
}

std::string vector_json(const flatbuffers::Table& t, const reflection::Field& f) {
  const auto* vec = flatbuffers::GetFieldAnyV(t, f);
  if (vec == nullptr) return "[]";
  const BaseType elem = f.type()->element();
  if (elem == BaseType::Obj) {
    const reflection::Object& obj = field_object(f);
    if (has_attribute(f, "map")) return map_json(vec, obj);
    std::string out = "[";
    for (flatbuffers::uoffset_t i = 0; i < vec->size(); ++i) {
      const auto* item = flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(vec, i);
      out += (i ? "," : "") + (is_template(obj) ? template_json(item) : table_json(obj, *item));
    }
    return out + "]";
  }
  std::string out = "[";
  for (flatbuffers::uoffset_t i = 0; i < vec->size(); ++i) {
    out += i ? "," : "";
    out += elem == BaseType::String ? json_quote(flatbuffers::GetAnyVectorElemS(vec, elem, i))
                                    : std::to_string(flatbuffers::GetAnyVectorElemI(vec, elem, i));
  }
  return out + "]";
}

}  // namespace

std::string field_json(const flatbuffers::Table& t, const reflection::Field& f) {
  switch (f.type()->base_type()) {
    case BaseType::String: {
      const auto* s = flatbuffers::GetFieldS(t, f);
      return s != nullptr ? json_quote(s->string_view()) : "null";
    }
    case BaseType::Obj: {
      const auto* sub = flatbuffers::GetFieldT(t, f);
      const reflection::Object& obj = field_object(f);
      if (is_template(obj)) return template_json(sub);
      return sub != nullptr ? table_json(obj, *sub) : "null";
    }
    case BaseType::Vector:
      return vector_json(t, f);
    default:
      return scalar_json(t, f);
  }
}

std::string table_json(const reflection::Object& obj, const flatbuffers::Table& t) {
  std::string out = "{";
  bool first = true;
  for (const auto* f : visible_fields(obj)) {
    out += (first ? "" : ",") + json_quote(f->name()->string_view()) + ":" + field_json(t, *f);
    first = false;
  }
  return out + "}";
}

std::string element_name(const flatbuffers::Table& t, const reflection::Object& obj) {
  const auto* f = obj.fields()->LookupByKey("name");
  const auto* s = f != nullptr ? flatbuffers::GetFieldS(t, *f) : nullptr;
  return s != nullptr ? s->str() : "";
}

}  // namespace flux::snapshot
