#pragma once
// Serialization of compiled expressions and regexes into the snapshot payload (fxs.fbs). Called
// by compiler/emit; the builder must have force_defaults(true) (cli.md §4 "Determinism").

#include <flatbuffers/flatbuffers.h>

#include <string_view>

#include "snapshot/expr/program.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/regex/regex.hpp"

namespace flux::compiler::expr {

// Appends one ExprProgram table; the caller collects the offsets into Snapshot.exprs and stores
// the index in Template.program.
flatbuffers::Offset<fxs::ExprProgram> write_expr_program(
    flatbuffers::FlatBufferBuilder& fbb, const snapshot::expr::ExprProgramData& program);

// Appends one RegexProgram table for Routing.regexes.
flatbuffers::Offset<fxs::RegexProgram> write_regex_program(
    flatbuffers::FlatBufferBuilder& fbb, std::string_view source,
    const snapshot::regex::CompiledRegex& regex);

}  // namespace flux::compiler::expr
