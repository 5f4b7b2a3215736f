// libFuzzer target: the whole `fluxc check` pipeline (parse -> presets -> validation ->
// expressions -> emit -> verify) on arbitrary bytes, plus every renderer and, for valid input,
// the dump walker and the reload classifier. Nothing may crash, hang or trip ASan/UBSan.

#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "compiler/diag/render.hpp"
#include "compiler/driver/pipeline.hpp"
#include "snapshot/classifier.hpp"
#include "snapshot/effective_config.hpp"
#include "snapshot/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flux::compiler;
  PipelineOptions opts;
  opts.host_checks = false;  // keep the run independent of the fuzzing machine's files
  opts.base_dir = "/srv/fuzz";
  PipelineResult r =
      run_pipeline("fuzz.toml", std::string(reinterpret_cast<const char*>(data), size), opts);
  std::ostringstream sink;
  render_human(sink, r.sources, r.diagnostics, true);
  sink << boost::json::serialize(render_json(r.sources, r.diagnostics, !r.failed));
  sink << boost::json::serialize(render_sarif(r.sources, r.diagnostics));
  if (!r.snapshot.empty()) {
    auto v = flux::snapshot::verify(r.snapshot);
    if (!v) __builtin_trap();  // fluxc must never emit a snapshot its own verifier rejects
    for (const auto& e : flux::snapshot::effective_config(*v->root)) sink << e.key_path << e.json;
    if (flux::snapshot::classify(*v->root, *v->root).result != flux::snapshot::DiffResult::None) {
      __builtin_trap();  // a snapshot compared with itself has no changes
    }
  }
  return 0;
}
