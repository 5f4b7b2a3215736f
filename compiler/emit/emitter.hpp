#pragma once
// IR -> sealed .fxs bytes (cli.md §4). Deterministic: the output depends only on the IR, the
// source text and the compiler version (no time, host or random input).

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/ir/value.hpp"

namespace flux::compiler::emit {

std::vector<std::uint8_t> emit_snapshot(const ir::Document& doc, std::string_view source_text,
                                        std::string_view compiler_version);

}  // namespace flux::compiler::emit
