#pragma once
// Collects every diagnostic of one run (config-reference.md §0.1 "All errors"), then orders and
// de-duplicates them for rendering (cli.md §2 "Ordering").

#include <vector>

#include "compiler/diag/diagnostic.hpp"

namespace flux::compiler {

class DiagEngine {
 public:
  // Returns the stored diagnostic so callers can attach notes and help lines.
  Diagnostic& report(Code code, std::string key_path, std::string message,
                     std::optional<SourceRange> range);

  bool has_errors() const { return errors_ > 0; }

  // Sorted by file position then code; each (code, key_path) pair kept once.
  std::vector<Diagnostic> finish() const;

 private:
  std::vector<Diagnostic> diags_;
  std::size_t errors_ = 0;
};

Diagnostic& add_note(Diagnostic& d, std::string message, std::optional<SourceRange> range = {});
Diagnostic& add_help(Diagnostic& d, std::string message);

}  // namespace flux::compiler
