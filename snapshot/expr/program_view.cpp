#include "snapshot/expr/program_view.hpp"

#include <bit>

#include "snapshot/fxs_generated.h"

namespace flux::snapshot::expr {

// fxs vectors of uint32 are little-endian; viewing them in place needs a little-endian host.
static_assert(std::endian::native == std::endian::little, "fxs uint32 vectors are viewed in place");

ProgramViews ProgramViews::of(const ExprProgramData& data) {
  ProgramViews v;
  v.strings_.assign(data.strings.begin(), data.strings.end());
  for (const auto& set : data.sets) {
    v.set_strings_.emplace_back(set.strings.begin(), set.strings.end());
  }
  for (std::size_t i = 0; i < data.sets.size(); ++i) {
    v.sets_.push_back(SetView{v.set_strings_[i], data.sets[i].ints});
  }
  v.view_ = ProgramView{data.kind, data.source, data.code,     v.strings_,
                        data.ints, v.sets_,     data.max_stack};
  return v;
}

namespace {

template <typename T>
std::span<const T> span_of(const flatbuffers::Vector<T>* v) {
  if (v == nullptr) return {};
  return {v->data(), v->size()};
}

void append_strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v,
                    std::vector<std::string_view>& out) {
  if (v == nullptr) return;
  out.reserve(v->size());
  for (const auto* s : *v) out.push_back(s == nullptr ? std::string_view{} : s->string_view());
}

}  // namespace

Result<ProgramViews> ProgramViews::of(const fxs::ExprProgram& program) {
  if (program.kind() > static_cast<std::uint8_t>(Kind::Template)) {
    return make_error("expression program has an unknown kind " + std::to_string(program.kind()));
  }
  if (program.code() == nullptr) return make_error("expression program without code");
  ProgramViews v;
  append_strings(program.strings(), v.strings_);
  const auto* sets = program.sets();
  const std::size_t n_sets = sets == nullptr ? 0 : sets->size();
  v.set_strings_.resize(n_sets);
  for (std::size_t i = 0; i < n_sets; ++i) {
    const auto* set = sets->Get(i);
    if (set == nullptr) return make_error("expression program has a null constant set");
    append_strings(set->strings(), v.set_strings_[i]);
    v.sets_.push_back(SetView{v.set_strings_[i], span_of(set->ints())});
  }
  const auto* source = program.source();
  v.view_ = ProgramView{static_cast<Kind>(program.kind()),
                        source == nullptr ? std::string_view{} : source->string_view(),
                        span_of(program.code()),
                        v.strings_,
                        span_of(program.ints()),
                        v.sets_,
                        program.max_stack()};
  return v;
}

}  // namespace flux::snapshot::expr
