#pragma once
// The typed, immutable IR: the effective configuration as a tree whose tables mirror the
// fxs.fbs tables field by field (the directive table guarantees the names match). validate/
// builds it; emit/ serializes it. Every value remembers where it came from so later checks and
// the emitter never need the syntax tree.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/source/source_manager.hpp"
#include "snapshot/expr/program.hpp"
#include "snapshot/regex/regex.hpp"

namespace flux::compiler::ir {

struct Origin {
  SourceRange key;          // the key (empty for defaults and array items)
  SourceRange value;        // the value; for tables the [header]; for defaults the owning table
  std::string_view preset;  // non-empty when a preset added the value
  bool defaulted = false;   // filled from the directive default, not written by the user
};

struct Field;

struct Value {
  enum class Kind : std::uint8_t { Absent, Bool, UInt, SInt, Str, List, Table, Ref };

  Kind kind = Kind::Absent;
  bool boolean = false;
  std::uint64_t uint = 0;
  std::int64_t sint = 0;
  std::string str;
  std::int32_t expr = -1;      // compiled program index for templates/predicates; -1 = literal
  std::vector<Value> items;    // List
  std::vector<Field> fields;   // Table (maps keep user keys)
  const Value* ref = nullptr;  // Ref: shared immutable table
  Origin origin;

  bool present() const { return kind != Kind::Absent; }
  const Value& deref() const { return kind == Kind::Ref ? *ref : *this; }
  const Value* get(std::string_view name) const;
  Value* get(std::string_view name);
  Value& set(std::string_view name, Value v);

  static Value of_bool(bool b, Origin o = {});
  static Value of_uint(std::uint64_t u, Origin o = {});
  static Value of_sint(std::int64_t i, Origin o = {});
  static Value of_str(std::string s, Origin o = {});
  static Value table(Origin o = {});
  static Value list(Origin o = {});
};

struct Field {
  std::string name;
  Value value;
};

struct RouteRegex {
  std::string source;
  snapshot::regex::CompiledRegex compiled;
};

// The IR of one site plus storage for shared tables (merged header policies), which stays
// alive and in place as long as the document does, and the compiled expression programs and
// route regexes that Template.program / Route.regex index.
struct Document {
  Value root;
  std::deque<Value> shared;
  std::vector<snapshot::expr::ExprProgramData> programs;
  std::vector<RouteRegex> regexes;

  const Value* share(Value v) {
    shared.push_back(std::move(v));
    return &shared.back();
  }
};

}  // namespace flux::compiler::ir
