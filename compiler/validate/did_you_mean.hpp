#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace flux::compiler {

// Optimal-string-alignment Damerau-Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

// config-reference.md §0.1 "Unknown keys": the nearest candidate within distance 2 (1 for names
// of 4 characters or fewer); ties go to the earlier candidate.
std::optional<std::string_view> did_you_mean(std::string_view typed,
                                             std::span<const std::string_view> candidates);

}  // namespace flux::compiler
