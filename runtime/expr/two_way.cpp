#include "runtime/expr/two_way.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace flux::runtime::expr {
namespace {

using Index = std::ptrdiff_t;

unsigned char at(std::string_view s, Index i) {
  return static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
}

// Maximal suffix of x for the byte order (reversed when `reverse`); sets its period.
Index max_suffix(std::string_view x, bool reverse, Index& period) {
  const Index m = static_cast<Index>(x.size());
  Index ms = -1, j = 0, k = 1;
  period = 1;
  while (j + k < m) {
    const unsigned char a = at(x, j + k);
    const unsigned char b = at(x, ms + k);
    if (reverse ? a > b : a < b) {
      j += k;
      k = 1;
      period = j - ms;
    } else if (a == b) {
      if (k != period) {
        ++k;
      } else {
        j += period;
        k = 1;
      }
    } else {
      ms = j;
      j = ms + 1;
      k = period = 1;
    }
  }
  return ms;
}

}  // namespace

bool contains_two_way(std::string_view y, std::string_view x) {
  const Index m = static_cast<Index>(x.size());
  const Index n = static_cast<Index>(y.size());
  if (m == 0) return true;
  if (m > n) return false;
  Index p = 0, q = 0;
  const Index i1 = max_suffix(x, false, p);
  const Index i2 = max_suffix(x, true, q);
  const Index ell = std::max(i1, i2);  // critical factorization x = x[0..ell] x[ell+1..]
  Index per = i1 > i2 ? p : q;
  if (std::memcmp(x.data(), x.data() + per, static_cast<std::size_t>(ell + 1)) == 0) {
    // Periodic needle: remember how much of the left part already matched.
    Index j = 0, memory = -1;
    while (j <= n - m) {
      Index i = std::max(ell, memory) + 1;
      while (i < m && at(x, i) == at(y, i + j)) ++i;
      if (i >= m) {
        i = ell;
        while (i > memory && at(x, i) == at(y, i + j)) --i;
        if (i <= memory) return true;
        j += per;
        memory = m - per - 1;
      } else {
        j += i - ell;
        memory = -1;
      }
    }
    return false;
  }
  per = std::max(ell + 1, m - ell - 1) + 1;
  Index j = 0;
  while (j <= n - m) {
    Index i = ell + 1;
    while (i < m && at(x, i) == at(y, i + j)) ++i;
    if (i >= m) {
      i = ell;
      while (i >= 0 && at(x, i) == at(y, i + j)) --i;
      if (i < 0) return true;
      j += per;
    } else {
      j += i - ell;
    }
  }
  return false;
}

}  // namespace flux::runtime::expr
