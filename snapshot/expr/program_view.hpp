#pragma once
// A non-owning, FlatBuffers-free view of one bytecode program, the single input of the static
// verifier and of the runtime evaluator. ProgramViews builds it either from an fxs::ExprProgram
// (runtime load, cli.md §4 step 4) or from an ExprProgramData (fluxc after codegen, tests).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "snapshot/expr/program.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct ExprProgram;
}

namespace flux::snapshot::expr {

struct SetView {
  std::span<const std::string_view> strings;
  std::span<const std::uint32_t> ints;
};

struct ProgramView {
  Kind kind = Kind::Predicate;
  std::string_view source;
  std::span<const std::uint32_t> code;
  std::span<const std::string_view> strings;
  std::span<const std::uint32_t> ints;
  std::span<const SetView> sets;
  std::uint8_t max_stack = 0;
};

// Owns the string_view tables behind a ProgramView. The underlying bytes (the mmapped snapshot
// or the ExprProgramData) must outlive it. Move-only: moving keeps the heap buffers, so the
// view stays valid.
class ProgramViews {
 public:
  static ProgramViews of(const ExprProgramData& data);
  // Fails on an unknown kind or a missing code vector; the FlatBuffers verifier has already
  // checked offsets.
  static Result<ProgramViews> of(const fxs::ExprProgram& program);

  ProgramViews(ProgramViews&&) = default;
  ProgramViews& operator=(ProgramViews&&) = default;
  ProgramViews(const ProgramViews&) = delete;
  ProgramViews& operator=(const ProgramViews&) = delete;

  const ProgramView& view() const { return view_; }

 private:
  ProgramViews() = default;

  ProgramView view_;
  std::vector<std::string_view> strings_;
  std::vector<std::vector<std::string_view>> set_strings_;
  std::vector<SetView> sets_;
};

}  // namespace flux::snapshot::expr
