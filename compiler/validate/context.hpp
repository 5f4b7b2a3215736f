#pragma once
// State shared by every validation step of one run: diagnostics, options, and helpers that turn
// an IR origin into a diagnostic location (with the preset note of cli.md §2).

#include <string>

#include "compiler/diag/diag_engine.hpp"
#include "compiler/ir/value.hpp"
#include "compiler/validate/directive.hpp"

namespace flux::compiler {

struct ValidateOptions {
  bool host_checks = true;  // cli.md §1.2
  std::string base_dir;     // directory of site.toml, absolute (config-reference.md §0.1)
};

class Context {
 public:
  Context(const SourceManager& sm, DiagEngine& diags, ValidateOptions opts)
      : sm_(sm), diags_(diags), opts_(std::move(opts)) {}

  const SourceManager& sources() const { return sm_; }
  DiagEngine& diags() { return diags_; }
  const ValidateOptions& options() const { return opts_; }
  // Inside a disabled [php] block (config-reference.md §8: "accepted as it is"): only types are
  // checked; ranges, rules and host checks are skipped.
  bool lenient() const { return lenient_ > 0; }
  void enter_lenient() { ++lenient_; }
  void leave_lenient() { --lenient_; }

  // Route regexes compiled by rules_route (Route.regex indexes this list).
  std::vector<ir::RouteRegex>& regexes() { return regexes_; }

  // Reports at the value of `origin` (the key for unknown keys, the header for tables).
  Diagnostic& report(Code code, std::string key_path, std::string message,
                     const ir::Origin& origin);
  Diagnostic& report_at(Code code, std::string key_path, std::string message, SourceRange r);
  // The source range of decoded bytes [begin, end) of the string value at `origin`
  // (expressions.md §7); the whole value when it came from a preset.
  SourceRange string_range(const ir::Origin& origin, std::size_t begin, std::size_t end) const;

 private:
  const SourceManager& sm_;
  DiagEngine& diags_;
  ValidateOptions opts_;
  std::vector<ir::RouteRegex> regexes_;
  int lenient_ = 0;
};

std::string join_path(const std::string& base, std::string_view key);
std::string index_path(const std::string& base, std::size_t i);
// "vhosts[0].php" -> "vhosts.php" (the [table] name shown in unknown-key messages).
std::string table_display(const std::string& path);
// Reason prefix: "php.fpm.tcp" for table Fpm and key tcp (cli.md §2 "Message").
std::string field_name(TableType t, std::string_view key);

}  // namespace flux::compiler
