#pragma once
// Bytecode evaluator (expressions.md §6). A Program is built once per snapshot generation
// ("construct-or-fail, then immutable": it is verified on load) and then evaluated per request
// without bounds checks, recursion, loops or allocation beyond the template output.

#include <cstddef>
#include <string>
#include <string_view>

#include "runtime/expr/request_vars.hpp"
#include "snapshot/expr/program.hpp"
#include "snapshot/expr/program_view.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct ExprProgram;
}

namespace flux::runtime::expr {

inline constexpr std::size_t kMaxTemplateOutput = 16 * 1024;  // §6

class Program {
 public:
  // Adapts and runs the static verifier; the snapshot must outlive the program.
  static Result<Program> load(const fxs::ExprProgram& program);
  // For tests and tools; `data` must outlive the program.
  static Result<Program> load(const snapshot::expr::ExprProgramData& data);

  snapshot::expr::Kind kind() const { return views_.view().kind; }
  std::string_view source() const { return views_.view().source; }
  const snapshot::expr::ProgramView& view() const { return views_.view(); }

 private:
  explicit Program(snapshot::expr::ProgramViews views) : views_(std::move(views)) {}
  snapshot::expr::ProgramViews views_;
};

// Requires kind() == Predicate.
bool evaluate_predicate(const Program& program, const RequestVars& vars);

// Requires kind() == Template. Appends the expansion to `out` (cleared first). Returns false
// when it would exceed kMaxTemplateOutput: the caller skips the header, or fails the redirect
// with 500 and a log line (§6).
bool render_template(const Program& program, const RequestVars& vars, std::string& out);

// A header value may not contain CR, LF, NUL or another CTL except HTAB (§3): a template whose
// expansion fails this makes the runtime skip that header.
bool is_valid_header_value(std::string_view value);

}  // namespace flux::runtime::expr
