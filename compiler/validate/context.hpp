#pragma once
// State shared by every validation step of one run: diagnostics, options, and helpers that turn
// an IR origin into a diagnostic location (with the preset note of cli.md §2).

#include <functional>
#include <string>

#include "compiler/diag/diag_engine.hpp"
#include "compiler/ir/value.hpp"
#include "compiler/validate/directive.hpp"

namespace flux::compiler {

struct ValidateOptions {
  bool host_checks = true;  // cli.md §1.2
  std::string base_dir;     // directory of site.toml, absolute (config-reference.md §0.1)
};

// Compiles a template/predicate (compiler/expr). Returns the program index, -1 for a literal,
// or -2 after reporting diagnostics. Null until the expression compiler is wired in.
struct ExprRequest {
  ValueKind kind;           // Template or Predicate
  std::string_view source;  // decoded string
  SourceRange literal;      // the TOML string literal, quotes included
  std::string key_path;
  std::string_view context;  // directive key ("to", "when", "set", ...)
};
using ExprCompiler = std::function<std::int32_t(const ExprRequest&)>;

class Context {
 public:
  Context(const SourceManager& sm, DiagEngine& diags, ValidateOptions opts)
      : sm_(sm), diags_(diags), opts_(std::move(opts)) {}

  const SourceManager& sources() const { return sm_; }
  DiagEngine& diags() { return diags_; }
  const ValidateOptions& options() const { return opts_; }
  void set_expr_compiler(ExprCompiler c) { expr_ = std::move(c); }
  const ExprCompiler& expr_compiler() const { return expr_; }

  // Reports at the value of `origin` (the key for unknown keys, the header for tables).
  Diagnostic& report(Code code, std::string key_path, std::string message,
                     const ir::Origin& origin);
  Diagnostic& report_at(Code code, std::string key_path, std::string message, SourceRange r);

 private:
  const SourceManager& sm_;
  DiagEngine& diags_;
  ValidateOptions opts_;
  ExprCompiler expr_;
};

std::string join_path(const std::string& base, std::string_view key);
std::string index_path(const std::string& base, std::size_t i);
// "vhosts[0].php" -> "vhosts.php" (the [table] name shown in unknown-key messages).
std::string table_display(const std::string& path);
// Reason prefix: "php.fpm.tcp" for table Fpm and key tcp (cli.md §2 "Message").
std::string field_name(TableType t, std::string_view key);

}  // namespace flux::compiler
