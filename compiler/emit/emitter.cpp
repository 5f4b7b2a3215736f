#include "compiler/emit/emitter.hpp"

#include <flatbuffers/flatbuffers.h>

#include "compiler/emit/reflect_builder.hpp"
#include "compiler/emit/routing.hpp"
#include "compiler/expr/fxs_write.hpp"
#include "snapshot/format.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/writer.hpp"

namespace flux::compiler::emit {

std::vector<std::uint8_t> emit_snapshot(const ir::Document& doc, std::string_view source_text,
                                        std::string_view compiler_version) {
  flatbuffers::FlatBufferBuilder fbb(64 * 1024);
  fbb.ForceDefaults(true);  // cli.md §4 "Determinism"
  ReflectBuilder builder(fbb);
  const auto config = builder.build("flux.fxs.Config", doc.root);
  std::vector<flatbuffers::uoffset_t> regexes;
  for (const auto& r : doc.regexes) {
    regexes.push_back(expr::write_regex_program(fbb, r.source, r.compiled).o);
  }
  const auto routing = build_routing(fbb, doc, regexes);
  std::vector<flatbuffers::Offset<fxs::ExprProgram>> programs;
  for (const auto& p : doc.programs) programs.push_back(expr::write_expr_program(fbb, p));
  const auto exprs = fbb.CreateVector(programs);
  const auto version = fbb.CreateString(compiler_version);
  const auto digest = snapshot::sha256(
      std::span(reinterpret_cast<const std::uint8_t*>(source_text.data()), source_text.size()));
  const auto source_hash = fbb.CreateString(snapshot::to_hex(digest));
  const auto root =
      fxs::CreateSnapshot(fbb, version, source_hash, flatbuffers::Offset<fxs::Config>(config),
                          flatbuffers::Offset<fxs::Routing>(routing), exprs);
  fxs::FinishSnapshotBuffer(fbb, root);
  return snapshot::seal(std::span(fbb.GetBufferPointer(), fbb.GetSize()));
}

}  // namespace flux::compiler::emit
