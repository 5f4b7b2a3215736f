#pragma once
// The fluxc commands of cli.md §1, independent of the argument parser (main.cpp).

#include <optional>
#include <string>

namespace flux::compiler {

struct CheckArgs {
  std::string file;
  std::string format = "human";  // human | json | sarif
  std::string color = "auto";    // auto | always | never
  bool deny_warnings = false;
  bool no_host_checks = false;
  bool build = false;
  std::optional<std::string> output;  // build -o
};

int run_check(const CheckArgs& args);
int run_explain(const std::string& code, bool list);
int run_schema();
int run_dump(const std::string& file, const std::string& format);
int run_diff(const std::string& old_file, const std::string& new_file, const std::string& format,
             bool exit_code);

}  // namespace flux::compiler
