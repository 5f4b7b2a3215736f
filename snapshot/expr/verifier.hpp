#pragma once
// Static bytecode verifier (expressions.md §6). Run by fluxc after codegen (a failure there is
// FX0899) and by the runtime on load (a failure rejects the snapshot, exit 78). After it passes,
// the evaluator runs the program without bounds checks ("verify once, then trust").

#include "snapshot/expr/program_view.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct ExprProgram;
}

namespace flux::snapshot::expr {

// Checks: every opcode and operand known; constant, name and set indices in range; sets sorted
// and duplicate-free with one element type; jumps forward and inside the program; the stack
// never underflows, never exceeds kMaxStack and has the same shape on every path into an
// instruction; RET is the last instruction and leaves the form's result (bool / nothing);
// max_stack equals the computed maximum.
Result<void> verify_program(const ProgramView& program);

// Convenience for snapshot/semantic_check.cpp: adapt, then verify.
Result<void> verify_program(const fxs::ExprProgram& program);

}  // namespace flux::snapshot::expr
