#pragma once
// The built-in extension -> Content-Type table (config-reference.md §7.1), sorted by extension
// so the runtime can binary-search it.

#include <span>
#include <string_view>

namespace flux::compiler::emit {

struct MimeType {
  std::string_view ext;
  std::string_view type;
};

std::span<const MimeType> mime_types();

}  // namespace flux::compiler::emit
