#pragma once
// Renders finished diagnostics in the three formats of cli.md §2-3.

#include <boost/json/object.hpp>
#include <ostream>
#include <vector>

#include "compiler/diag/diagnostic.hpp"

namespace flux::compiler {

struct Tally {
  std::size_t errors = 0;
  std::size_t warnings = 0;
};
Tally tally(const std::vector<Diagnostic>& diags);

// cli.md §2: header, caret snippet, children.
void render_human(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  bool color);
// "error: 3 errors, 1 warning; site.toml is invalid" / "site.toml is valid (1 warning)".
std::string summary_line(const Tally& t, std::string_view input, bool failed);

// cli.md §3: the document without the optional "output" member (the driver adds it).
boost::json::object render_json(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                                bool valid);
boost::json::object render_sarif(const SourceManager& sm, const std::vector<Diagnostic>& diags);

}  // namespace flux::compiler
