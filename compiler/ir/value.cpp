#include "compiler/ir/value.hpp"

namespace flux::compiler::ir {

namespace {

// Hot: every rule and the emitter look fields up by name. Checking size and first byte before
// the full comparison skips most memcmp calls.
bool same_name(const std::string& a, std::string_view b) {
  return a.size() == b.size() && (b.empty() || a[0] == b[0]) && std::string_view(a) == b;
}

}  // namespace

const Value* Value::get(std::string_view name) const {
  const Value& self = deref();
  for (const auto& [k, v] : self.fields) {
    if (same_name(k, name)) return &v;
  }
  return nullptr;
}

Value* Value::get(std::string_view name) {
  for (auto& [k, v] : fields) {
    if (same_name(k, name)) return &v;
  }
  return nullptr;
}

Value& Value::set(std::string_view name, Value v) {
  if (Value* existing = get(name)) {
    *existing = std::move(v);
    return *existing;
  }
  fields.push_back(Field{std::string(name), std::move(v)});
  return fields.back().value;
}

Value Value::of_bool(bool b, Origin o) {
  Value v;
  v.kind = Kind::Bool;
  v.boolean = b;
  v.origin = o;
  return v;
}

Value Value::of_uint(std::uint64_t u, Origin o) {
  Value v;
  v.kind = Kind::UInt;
  v.uint = u;
  v.origin = o;
  return v;
}

Value Value::of_sint(std::int64_t i, Origin o) {
  Value v;
  v.kind = Kind::SInt;
  v.sint = i;
  v.origin = o;
  return v;
}

Value Value::of_str(std::string s, Origin o) {
  Value v;
  v.kind = Kind::Str;
  v.str = std::move(s);
  v.origin = o;
  return v;
}

Value Value::table(Origin o) {
  Value v;
  v.kind = Kind::Table;
  v.origin = o;
  return v;
}

Value Value::list(Origin o) {
  Value v;
  v.kind = Kind::List;
  v.origin = o;
  return v;
}

}  // namespace flux::compiler::ir
