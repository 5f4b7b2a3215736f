#include "compiler/validate/did_you_mean.hpp"

#include <algorithm>
#include <vector>

namespace flux::compiler {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(n, m);
}

std::optional<std::string_view> did_you_mean(std::string_view typed,
                                             std::span<const std::string_view> candidates) {
  const std::size_t limit = typed.size() <= 4 ? 1 : 2;
  std::optional<std::string_view> best;
  std::size_t best_d = limit + 1;
  for (const auto c : candidates) {
    const std::size_t dist = edit_distance(typed, c);
    if (dist < best_d) {
      best_d = dist;
      best = c;
    }
  }
  return best;
}

}  // namespace flux::compiler
