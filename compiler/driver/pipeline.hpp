#pragma once
// The check/build pipeline of cli.md §1: parse -> presets -> validation -> expression compile ->
// host checks -> snapshot encode in memory -> verify. Shared by `fluxc check`, `fluxc build` and
// the fuzz target; free of CLI and I/O so it can run on arbitrary bytes.

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.hpp"
#include "compiler/source/source_manager.hpp"

namespace flux::compiler {

struct PipelineOptions {
  bool host_checks = true;
  bool deny_warnings = false;
  std::string base_dir = "/";  // absolute directory of site.toml
  // The CLI exits right after one run, so it skips freeing the syntax tree and IR (like clang's
  // -disable-free): for a 10,000-vhost site the teardown is a sizeable part of `fluxc check`.
  // They stay reachable from a global, so leak checkers do not report them.
  bool skip_teardown = false;
};

struct PipelineResult {
  SourceManager sources;
  std::vector<Diagnostic> diagnostics;  // finished: sorted and de-duplicated
  std::vector<std::uint8_t> snapshot;   // the sealed .fxs bytes when valid
  bool failed = true;                   // errors, or warnings under --deny-warnings
};

PipelineResult run_pipeline(std::string display_name, std::string text,
                            const PipelineOptions& opts);

std::string_view compiler_version();

}  // namespace flux::compiler
