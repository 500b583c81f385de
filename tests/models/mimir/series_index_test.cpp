// SeriesIndex against std::unordered_map: the same answers for any ids,
// including ids that agree in every low bit (which would all share one home
// slot without the mixing).
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "weir/models/mimir/series_index.h"

using weir::models::mimir::SeriesId;
using weir::models::mimir::SeriesIndex;

namespace {

// Ids from a small pool, so that repeats and lookups of present ids happen,
// optionally with their low 32 bits forced to one value.
std::vector<SeriesId> ids_from(const std::vector<std::uint16_t>& draws, bool same_low_bits) {
  std::vector<SeriesId> ids;
  for (std::uint16_t d : draws) {
    const SeriesId id = 0x9E3779B97F4A7C15ULL * (d + 1ULL);
    ids.push_back(same_low_bits ? (id << 32) | 0xABCDULL : id);
  }
  return ids;
}

}  // namespace

TEST_CASE("a series index answers like a hash map", "[series_index]") {
  const bool ok = rc::check("find after any inserts", [](const std::vector<std::uint16_t>& draws, bool same_low_bits) {
    SeriesIndex index;
    std::unordered_map<SeriesId, SeriesIndex::Position> reference;
    const std::vector<SeriesId> ids = ids_from(draws, same_low_bits);
    for (SeriesId id : ids) {
      RC_ASSERT(index.find(id) == (reference.contains(id) ? std::optional(reference[id]) : std::nullopt));
      if (reference.contains(id)) continue;
      const auto position = static_cast<SeriesIndex::Position>(reference.size());
      index.insert(id, position);
      reference.emplace(id, position);
    }
    RC_ASSERT(index.size() == reference.size());
    for (const auto& [id, position] : reference) RC_ASSERT(index.find(id) == std::optional(position));
    RC_ASSERT(!index.find(0x1234567ULL).has_value() || reference.contains(0x1234567ULL));
  });
  CHECK(ok);
}

TEST_CASE("a cleared series index is empty and takes inserts again", "[series_index]") {
  SeriesIndex index;
  for (SeriesIndex::Position i = 0; i < 1000; ++i) index.insert(1000003ULL * (i + 1), i);
  CHECK(index.size() == 1000);
  CHECK(index.find(1000003ULL * 500) == std::optional<SeriesIndex::Position>(499));
  index.clear();
  CHECK(index.size() == 0);
  CHECK_FALSE(index.find(1000003ULL * 500));
  index.insert(7, 0);
  CHECK(index.find(7) == std::optional<SeriesIndex::Position>(0));
}
