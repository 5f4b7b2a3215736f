// fluxc entry point: argument parsing only (cli.md §1); every command lives in commands.cpp.

#include <CLI/CLI.hpp>

#include "compiler/driver/commands.hpp"
#include "compiler/driver/pipeline.hpp"
#include "snapshot/format.hpp"

namespace {

using flux::compiler::CheckArgs;

void add_check_flags(CLI::App* cmd, CheckArgs& a) {
  cmd->add_option("file", a.file, "site.toml")->required();
  cmd->add_option("--format", a.format, "diagnostic format")
      ->check(CLI::IsMember({"human", "json", "sarif"}));
  cmd->add_flag("--deny-warnings", a.deny_warnings, "treat warnings as errors");
  cmd->add_flag("--no-host-checks", a.no_host_checks, "skip existence/symlink/permission checks");
  cmd->add_option("--color", a.color, "colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fluxc: compiles site.toml into a verified .fxs snapshot"};
  app.set_version_flag(
      "--version", std::string("fluxc ") + std::string(flux::compiler::compiler_version()) +
                       " (snapshot format " + std::to_string(flux::snapshot::kFormatMajor) + "." +
                       std::to_string(flux::snapshot::kFormatMinor) + ")");
  app.require_subcommand(1);

  CheckArgs check_args, build_args;
  build_args.build = true;
  auto* check = app.add_subcommand("check", "validate a site.toml");
  add_check_flags(check, check_args);
  auto* build = app.add_subcommand("build", "validate and write the snapshot");
  add_check_flags(build, build_args);
  build->add_option("-o,--output", build_args.output, "output .fxs (default <dir>/<stem>.fxs)");

  std::string dump_file, dump_format = "text";
  auto* dump = app.add_subcommand("dump", "print the effective compiled config");
  dump->add_option("file", dump_file, "site.fxs")->required();
  dump->add_option("--format", dump_format)->check(CLI::IsMember({"text", "json"}));

  std::string diff_old, diff_new, diff_format = "text";
  bool diff_exit_code = false;
  auto* diff = app.add_subcommand("diff", "classify every change between two snapshots");
  diff->add_option("old", diff_old, "old.fxs")->required();
  diff->add_option("new", diff_new, "new.fxs")->required();
  diff->add_option("--format", diff_format)->check(CLI::IsMember({"text", "json"}));
  diff->add_flag("--exit-code", diff_exit_code, "exit 0/3/4 by the overall class");

  std::string explain_code;
  bool explain_list = false;
  auto* explain = app.add_subcommand("explain", "explain a diagnostic code");
  explain->add_option("code", explain_code, "FXnnnn");
  explain->add_flag("--list", explain_list, "list every code");

  auto* schema = app.add_subcommand("schema", "print the JSON Schema of site.toml");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // cli.md §1.1: usage errors exit 2
  }
  if (*check) return flux::compiler::run_check(check_args);
  if (*build) return flux::compiler::run_check(build_args);
  if (*dump) return flux::compiler::run_dump(dump_file, dump_format);
  if (*diff) return flux::compiler::run_diff(diff_old, diff_new, diff_format, diff_exit_code);
  if (*explain) {
    if (!explain_list && explain_code.empty()) {
      std::cerr << "fluxc explain: give a code (FXnnnn) or --list\n";
      return 2;
    }
    return flux::compiler::run_explain(explain_code, explain_list);
  }
  if (*schema) return flux::compiler::run_schema();
  return 2;
}
