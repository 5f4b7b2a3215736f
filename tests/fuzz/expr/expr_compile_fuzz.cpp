// Input: one byte selecting the config key (Site), then the expression text. Checks the
// compile_expr contract: no exception escapes, diagnostics point inside the text, success and
// errors exclude each other, the canonical form recompiles to the same program, and the
// program loads and evaluates.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/expr/expr_compiler.hpp"
#include "runtime/expr/evaluator.hpp"
#include "runtime/expr/standard_vars.hpp"

using namespace flux;
using compiler::expr::Site;

namespace {

bool has_error(const std::vector<compiler::expr::ExprDiagnostic>& diags) {
  for (const auto& d : diags) {
    if (!d.warning) return true;
  }
  return false;
}

std::optional<compiler::expr::CompiledExpr> compile(
    std::string_view text, Site site, std::vector<compiler::expr::ExprDiagnostic>& d) {
  const compiler::expr::Context ctx{site, std::vector<std::string>{"user", "id"}};
  return compiler::expr::compile_expr(text, compiler::expr::form_of(site), ctx, d);
}

void evaluate(const snapshot::expr::ExprProgramData& data) {
  auto program = runtime::expr::Program::load(data);
  if (!program.ok()) __builtin_trap();
  const runtime::expr::HeaderField headers[] = {
      {"Cookie", "a=1; wordpress_x=2"}, {"Accept", "text/html"}, {"accept", "x"}};
  const runtime::expr::RequestInfo info{
      "https", "example.test", "GET", "/u/bob?q=a+b&x", "192.0.2.1", 443, headers};
  runtime::expr::StandardRequestVars vars(info);
  if (program->kind() == snapshot::expr::Kind::Predicate) {
    runtime::expr::evaluate_predicate(*program, vars);
  } else {
    std::string out;
    runtime::expr::render_template(*program, vars, out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto site = static_cast<Site>(data[0] % 8);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<compiler::expr::ExprDiagnostic> diags;
  const auto compiled = compile(text, site, diags);
  for (const auto& d : diags) {
    if (d.begin > d.end || d.end > text.size() || d.message.empty()) __builtin_trap();
    if (d.code == "FX0899") __builtin_trap();  // internal errors are bugs
  }
  if (compiled.has_value() == has_error(diags)) __builtin_trap();
  if (!compiled || compiled->literal) return 0;
  evaluate(compiled->program);
  std::vector<compiler::expr::ExprDiagnostic> again_diags;
  const auto again = compile(compiled->canonical_source, site, again_diags);
  if (again) {
    if (again->program != compiled->program) __builtin_trap();
  } else {
    // Canonical quoting may grow the text or add parentheses past a limit; nothing else.
    for (const auto& d : again_diags) {
      if (!d.warning && d.code != "FX0810") __builtin_trap();
    }
  }
  return 0;
}
