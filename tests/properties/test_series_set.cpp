// SeriesSet: copies share one list, and contains_sorted answers as a binary
// search would, for hashed ids and for small hand-picked ones alike.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "weir/properties/series_set.h"

using weir::properties::SeriesId;
using weir::properties::SeriesSet;

namespace {

std::vector<SeriesId> sorted_unique(std::vector<SeriesId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

void require_same_as_binary_search(const std::vector<SeriesId>& ids, const std::vector<SeriesId>& probes) {
  const SeriesSet set(ids);
  for (const SeriesId id : ids) RC_ASSERT(set.contains_sorted(id));
  for (const SeriesId id : probes) RC_ASSERT(set.contains_sorted(id) == std::binary_search(ids.begin(), ids.end(), id));
}

}  // namespace

TEST_CASE("series set: copies share one list", "[properties][series_set]") {
  const SeriesSet set(std::vector<SeriesId>{1, 3, 9});
  const SeriesSet copy = set;
  CHECK(&copy.ids() == &set.ids());
  CHECK(copy == SeriesSet{1, 3, 9});
  CHECK(SeriesSet().empty());
  CHECK_FALSE(SeriesSet().contains_sorted(0));
}

TEST_CASE("series set: contains_sorted agrees with binary search", "[properties][series_set]") {
  CHECK(rc::check("hashed ids", [](const std::vector<SeriesId>& ids, const std::vector<SeriesId>& probes) {
    require_same_as_binary_search(sorted_unique(ids), probes);
  }));
  CHECK(rc::check("small, clustered ids", [] {
    const auto small = rc::gen::container<std::vector<SeriesId>>(rc::gen::inRange<SeriesId>(0, 50));
    require_same_as_binary_search(sorted_unique(*small), *small);
    require_same_as_binary_search(sorted_unique(*small), {0, 1, 49, 50, ~SeriesId{0}});
  }));
  CHECK(rc::check("the largest ids", [](const std::vector<std::uint8_t>& offsets) {
    std::vector<SeriesId> ids;
    for (const auto o : offsets) ids.push_back(~SeriesId{0} - o);
    require_same_as_binary_search(sorted_unique(ids), {~SeriesId{0}, ~SeriesId{0} - 300, 0});
  }));
}
