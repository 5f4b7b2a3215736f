// The directive table (snapshot/directives.def) and the payload schema (fxs.fbs) must describe
// the same keys: the emitter and the dump walker rely on the names matching one to one.

#include <flatbuffers/reflection.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "compiler/validate/directive.hpp"
#include "snapshot/effective_config.hpp"
#include "snapshot/schema_bfbs.hpp"

namespace flux::compiler {
namespace {

const reflection::Object* object_of(const TableInfo& t) {
  return snapshot::schema().objects()->LookupByKey(("flux.fxs." + std::string(t.name)).c_str());
}

TEST(DirectiveTable, EveryKeyIsASchemaFieldAndEveryVisibleFieldAKey) {
  for (const auto& t : all_tables()) {
    const reflection::Object* obj = object_of(t);
    ASSERT_NE(obj, nullptr) << t.name;
    for (const auto& d : t.keys) {
      EXPECT_NE(obj->fields()->LookupByKey(std::string(d.key).c_str()), nullptr)
          << t.name << "." << d.key;
    }
    for (const auto* f : snapshot::visible_fields(*obj)) {
      EXPECT_NE(find_directive(t.type, f->name()->string_view()), nullptr)
          << t.name << "." << f->name()->str();
    }
  }
}

TEST(DirectiveTable, StaticDefaultsParseAndMatchTheSchemaDefaults) {
  for (const auto& t : all_tables()) {
    const reflection::Object* obj = object_of(t);
    for (const auto& d : t.keys) {
      if (d.default_json.empty() || d.default_json.front() == '=') continue;
      const auto json = boost::json::parse(d.default_json);
      const auto* f = obj->fields()->LookupByKey(std::string(d.key).c_str());
      const auto bt = f->type()->base_type();
      if (json.is_int64() && bt >= reflection::UType && bt <= reflection::ULong) {
        EXPECT_EQ(f->default_integer(), json.as_int64()) << t.name << "." << d.key;
      }
      if (json.is_bool())
        EXPECT_EQ(f->default_integer(), json.as_bool() ? 1 : 0) << t.name << "." << d.key;
    }
  }
}

TEST(DirectiveTable, KeysWithoutADefaultAreOptionalInTheSchema) {
  for (const auto& t : all_tables()) {
    const reflection::Object* obj = object_of(t);
    for (const auto& d : t.keys) {
      const auto* f = obj->fields()->LookupByKey(std::string(d.key).c_str());
      const auto bt = f->type()->base_type();
      const bool scalar = bt >= reflection::Bool && bt <= reflection::Double;
      // ErrorPage.status is required (FX0102), so it is always present.
      const bool required = t.type == TableType::ErrorPage && d.key == "status";
      if (scalar && d.default_json.empty() && !required)
        EXPECT_TRUE(f->optional()) << t.name << "." << d.key;
    }
  }
}

}  // namespace
}  // namespace flux::compiler
