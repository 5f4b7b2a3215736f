// Arbitrary bytecode over a fixed constant pool: whatever passes the static verifier
// (expressions.md §6) must evaluate without crashing or reading out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "runtime/expr/evaluator.hpp"
#include "runtime/expr/standard_vars.hpp"

using namespace flux;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  snapshot::expr::ExprProgramData p;
  p.kind = (data[0] & 1) != 0 ? snapshot::expr::Kind::Template : snapshot::expr::Kind::Predicate;
  p.max_stack = data[1];
  p.code.resize((size - 2) / 4);
  if (p.code.empty()) return 0;
  std::memcpy(p.code.data(), data + 2, p.code.size() * 4);
  p.strings = {"a", "wordpress_", "cookie", ""};
  p.ints = {0, 443, 80};
  p.sets = {
      {{"GET", "HEAD"}, {}}, {{}, {80, 443}}, {{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, {}}};
  auto program = runtime::expr::Program::load(p);
  if (!program.ok()) return 0;
  const runtime::expr::HeaderField headers[] = {{"Cookie", "wordpress_a=1"}, {"a", "GET"}};
  const runtime::expr::RequestInfo info{"http", "h", "HEAD", "/p?a=b", "::1", 80, headers};
  runtime::expr::StandardRequestVars vars(info);
  if (program->kind() == snapshot::expr::Kind::Predicate) {
    runtime::expr::evaluate_predicate(*program, vars);
  } else {
    std::string out;
    runtime::expr::render_template(*program, vars, out);
  }
  return 0;
}
