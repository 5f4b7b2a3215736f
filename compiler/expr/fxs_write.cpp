#include "compiler/expr/fxs_write.hpp"

#include <vector>

namespace flux::compiler::expr {

flatbuffers::Offset<fxs::ExprProgram> write_expr_program(flatbuffers::FlatBufferBuilder& fbb,
                                                         const snapshot::expr::ExprProgramData& p) {
  // Children first (FlatBuffers builds bottom-up), in a fixed order for determinism (cli.md §4).
  std::vector<flatbuffers::Offset<fxs::ConstSet>> sets;
  sets.reserve(p.sets.size());
  for (const auto& set : p.sets) {
    const auto strings = fbb.CreateVectorOfStrings(set.strings);
    const auto ints = fbb.CreateVector(set.ints);
    sets.push_back(fxs::CreateConstSet(fbb, strings, ints));
  }
  const auto source = fbb.CreateString(p.source);
  const auto code = fbb.CreateVector(p.code);
  const auto strings = fbb.CreateVectorOfStrings(p.strings);
  const auto ints = fbb.CreateVector(p.ints);
  const auto set_vec = fbb.CreateVector(sets);
  return fxs::CreateExprProgram(fbb, static_cast<std::uint8_t>(p.kind), source, code, strings, ints,
                                set_vec, p.max_stack);
}

flatbuffers::Offset<fxs::RegexProgram> write_regex_program(
    flatbuffers::FlatBufferBuilder& fbb, std::string_view source,
    const snapshot::regex::CompiledRegex& regex) {
  const auto src = fbb.CreateString(source);
  const auto names = fbb.CreateVectorOfStrings(regex.group_names);
  const auto code = fbb.CreateVector(regex.code);
  return fxs::CreateRegexProgram(fbb, src, names, code);
}

}  // namespace flux::compiler::expr
