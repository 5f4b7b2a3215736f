// fluxheim: argument parsing only (CLI11 stays in this translation unit).

#include <CLI/CLI.hpp>

#include "runtime/main/commands.hpp"
#include "snapshot/format.hpp"

int main(int argc, char** argv) {
  using namespace flux::runtime::app;
  CLI::App app{"fluxheim: serve a compiled Fluxheim snapshot (.fxs)"};
  app.set_version_flag("--version", std::string("fluxheim ") + FLUX_VERSION + " (snapshot format " +
                                        std::to_string(flux::snapshot::kFormatMajor) + "." +
                                        std::to_string(flux::snapshot::kFormatMinor) + ")");
  app.require_subcommand(1);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "map, verify and serve a snapshot");
  run_cmd->add_option("snapshot", run.snapshot_path, "the .fxs file")->required();
  run_cmd->add_option("--threads", run.threads, "I/O threads (overrides server.process.threads)")
      ->check(CLI::Range(1, 1024));
  run_cmd->add_option("--log-level", run.log_level, "trace|debug|info|warn|error|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  VerifyOptions verify;
  bool no_host_checks = false;
  std::string format = "text";
  auto* verify_cmd = app.add_subcommand("verify", "verify a snapshot without serving it");
  verify_cmd->add_option("snapshot", verify.snapshot_path, "the .fxs file")->required();
  verify_cmd->add_flag("--no-host-checks", no_host_checks, "skip filesystem checks of this host");
  verify_cmd->add_option("--format", format, "text|json")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*run_cmd) return run_command(run);
  verify.host_checks = !no_host_checks;
  verify.json = format == "json";
  return verify_command(verify);
}
