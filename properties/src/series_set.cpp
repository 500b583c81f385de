#include "weir/properties/series_set.h"

#include <algorithm>
#include <cstddef>

namespace weir::properties {

bool SeriesSet::contains_sorted(SeriesId id) const {
  const std::vector<SeriesId>& v = ids();
  const std::size_t n = v.size();
  if (n == 0) return false;
  __extension__ using Wide = unsigned __int128;
  const auto guess = static_cast<std::size_t>((static_cast<Wide>(id) * n) >> 64);
  // Widen from the guess, doubling the step, until [lo, hi) must hold id.
  std::size_t lo = guess;
  std::size_t hi = guess + 1;
  for (std::size_t step = 1; lo > 0 && v[lo] > id; step *= 2) lo = step > lo ? 0 : lo - step;
  for (std::size_t step = 1; hi < n && v[hi - 1] < id; step *= 2) hi = std::min(n, hi + step);
  return std::binary_search(v.begin() + static_cast<std::ptrdiff_t>(lo), v.begin() + static_cast<std::ptrdiff_t>(hi), id);
}

}  // namespace weir::properties
