#pragma once
// A diagnostic is data: code, severity, key path, message, an optional source range and child
// notes (style.md "Diagnostics as data"; cli.md §2-3).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source_manager.hpp"

namespace flux::compiler {

enum class Severity : std::uint8_t { Error, Warning };

enum class Code : std::uint16_t {
#define FX_DIAG(num, sev, title, text) FX##num = 1##num - 10000,
#include "compiler/diag/diagnostics.def"
#undef FX_DIAG
};

struct CodeInfo {
  Code code;
  Severity severity;
  std::string_view id;  // "FX0203"
  std::string_view title;
  std::string_view explanation;
};

std::span<const CodeInfo> all_codes();
const CodeInfo& code_info(Code code);
const CodeInfo* find_code(std::string_view id);

struct DiagChild {
  enum class Kind : std::uint8_t { Note, Help };
  Kind kind = Kind::Note;
  std::string message;
  std::optional<SourceRange> range;
};

struct Diagnostic {
  Code code{};
  Severity severity = Severity::Error;
  std::string key_path;
  std::string message;
  std::optional<SourceRange> range;
  std::vector<DiagChild> children;
};

}  // namespace flux::compiler
