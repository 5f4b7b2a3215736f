#pragma once
// Plain C++ mirror of fxs::ExprProgram / fxs::ConstSet (snapshot/schema/fxs.fbs). fluxc builds it
// (compiler/expr), the emitter serializes it, and tests evaluate it without FlatBuffers.

#include <cstdint>
#include <string>
#include <vector>

namespace flux::snapshot::expr {

// fxs::ExprProgram.kind (expressions.md §1): what RET yields.
enum class Kind : std::uint8_t { Predicate = 0, Template = 1 };

// A constant list for IN_SET (expressions.md §4): exactly one of the two vectors is non-empty.
// fluxc stores both sorted ascending and free of duplicates; the verifier re-checks this because
// lists of more than 8 items are searched with binary search (§6).
struct ConstSetData {
  std::vector<std::string> strings;
  std::vector<std::uint32_t> ints;
  bool operator==(const ConstSetData&) const = default;
};

struct ExprProgramData {
  Kind kind = Kind::Predicate;
  std::string source;                // canonical source form (dump, logs)
  std::vector<std::uint32_t> code;   // see snapshot/expr/opcode.hpp for the encoding
  std::vector<std::string> strings;  // string constants and reference names
  std::vector<std::uint32_t> ints;   // integer constants
  std::vector<ConstSetData> sets;    // IN_SET tables
  std::uint8_t max_stack = 0;        // exact maximum depth, re-checked by the verifier
  bool operator==(const ExprProgramData&) const = default;
};

}  // namespace flux::snapshot::expr
