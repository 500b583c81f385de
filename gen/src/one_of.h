// Internal to weir::gen: generator helpers shared by the shape generators.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include <rapidcheck.h>

namespace weir::gen {

// RapidCheck's nominal size. RapidCheck scales a range by its size, which
// grows from 0 over a check: resized to this, every draw covers its whole range.
inline constexpr int kFullSize = 100;

// One of `values`, shrinking toward the first (rc::gen::elementOf does not shrink).
inline rc::Gen<int> one_of(std::vector<int> values) {
  const int count = static_cast<int>(values.size());
  return rc::gen::map(rc::gen::inRange(0, count),
                      [values = std::move(values)](int i) { return values[static_cast<std::size_t>(i)]; });
}

}  // namespace weir::gen
