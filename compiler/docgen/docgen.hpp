#pragma once
// Operator docs generated from the tables fluxc itself uses (issue 3: the directive table is the
// single source): docs/config-reference.md, docs/diagnostics.md and docs/presets.md.

#include <string>

namespace flux::compiler {

std::string config_reference_md();
std::string diagnostics_md();
std::string presets_md();

}  // namespace flux::compiler
