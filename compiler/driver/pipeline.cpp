#include "compiler/driver/pipeline.hpp"

#include "compiler/diag/render.hpp"
#include "compiler/emit/emitter.hpp"
#include "compiler/parse/toml_reader.hpp"
#include "compiler/validate/validate.hpp"
#include "snapshot/verifier.hpp"

namespace flux::compiler {
namespace {

struct Retained {
  SyntaxNode tree;
  ir::Document doc;
};
// Never destroyed (a static vector's destructor would run before leak checkers scan globals),
// so what it points to stays reachable. See PipelineOptions::skip_teardown.
std::vector<Retained*>& retained() {
  static auto* kept = new std::vector<Retained*>();
  return *kept;
}

}  // namespace

std::string_view compiler_version() { return FLUX_VERSION; }

PipelineResult run_pipeline(std::string display_name, std::string text,
                            const PipelineOptions& opts) {
  PipelineResult out;
  DiagEngine diags;
  const FileId file = out.sources.add(std::move(display_name), std::move(text));
  if (!opts.host_checks) {
    diags.report(Code::FX0905, "",
                 "host checks skipped (--no-host-checks): existence, symlink and permission checks "
                 "are repeated by fluxheim run",
                 std::nullopt);
  }
  if (auto tree = read_toml(out.sources, file, diags)) {
    Context ctx(out.sources, diags, ValidateOptions{opts.host_checks, opts.base_dir});
    ir::Document doc = validate(ctx, *tree);
    if (!diags.has_errors()) {
      out.snapshot = emit::emit_snapshot(doc, out.sources.text(file), compiler_version());
      // cli.md §4: fluxc verifies what it would write; a failure is a compiler bug.
      if (auto verified = snapshot::verify(out.snapshot); !verified) {
        diags.report(Code::FX0899, "", "internal compiler error: " + verified.error().message,
                     std::nullopt);
        out.snapshot.clear();
      }
    }
    if (opts.skip_teardown) retained().push_back(new Retained{std::move(*tree), std::move(doc)});
  }
  out.diagnostics = diags.finish();
  const Tally t = tally(out.diagnostics);
  out.failed = t.errors > 0 || (opts.deny_warnings && t.warnings > 0);
  if (out.failed) out.snapshot.clear();
  return out;
}

}  // namespace flux::compiler
