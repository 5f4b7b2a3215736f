#pragma once
// Serializes IR tables into FlatBuffers tables generically, field by field, through the
// reflection schema (fxs.bfbs): the IR field names are the schema field names (directives.def),
// so no hand-written per-field emitter exists. Tables are built bottom-up in schema field order;
// a table shared through IR references (merged header policies) is written once. Fields marked
// `internal` (route order, regex indices) are precomputed into the IR by validate/.

#include <flatbuffers/flatbuffers.h>

#include <map>

#include "compiler/ir/value.hpp"

namespace reflection {
struct Object;
struct Field;
}  // namespace reflection

namespace flux::compiler::emit {

class ReflectBuilder {
 public:
  explicit ReflectBuilder(flatbuffers::FlatBufferBuilder& fbb) : fbb_(fbb) {}

  // `object` is the fully qualified table name, e.g. "flux.fxs.Config".
  flatbuffers::uoffset_t build(std::string_view object, const ir::Value& table);

 private:
  flatbuffers::uoffset_t table(const reflection::Object& obj, const ir::Value& v);
  flatbuffers::uoffset_t field_offset(const reflection::Field& f, const ir::Value& v);
  flatbuffers::uoffset_t vector(const reflection::Field& f, const ir::Value& v);
  flatbuffers::uoffset_t map_vector(const reflection::Object& elem, const ir::Value& v);
  flatbuffers::uoffset_t template_table(const ir::Value& v);
  void scalar(const reflection::Field& f, const ir::Value* v);

  flatbuffers::FlatBufferBuilder& fbb_;
  std::map<const ir::Value*, flatbuffers::uoffset_t> memo_;
};

}  // namespace flux::compiler::emit
