#pragma once
// Crochemore–Perrin two-way string matching: O(n + m) time, O(1) space. Backs the `*=` operator
// (expressions.md §4 "a linear-time two-way search"); std::string_view::find has a quadratic
// worst case.

#include <string_view>

namespace flux::runtime::expr {

bool contains_two_way(std::string_view haystack, std::string_view needle);

}  // namespace flux::runtime::expr
