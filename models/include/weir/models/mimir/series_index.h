// SeriesIndex: a head's map from SeriesId to the series' position, looked up
// on every sample appended, so flat.
//
// Open addressing with linear probing in one array of (id, position) slots,
// kept at most half full; ids are already hashes (series_id), mixed once more
// so that ids agreeing in their low bits do not cluster. Lookups and inserts
// only: nothing is erased (a head rebuilds its index when it drops series)
// and nothing iterates it, so the layout can never leak into a run's
// behaviour. Positions must be below kEmpty. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "weir/models/mimir/types.h"

namespace weir::models::mimir {

class SeriesIndex {
 public:
  using Position = std::uint32_t;
  static constexpr Position kEmpty = std::numeric_limits<Position>::max();

  std::optional<Position> find(SeriesId id) const {
    if (slots_.empty()) return std::nullopt;
    for (std::size_t i = home(id);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.position == kEmpty) return std::nullopt;
      if (s.id == id) return s.position;
    }
  }

  // Adds `id` at `position`; `id` must not be present.
  void insert(SeriesId id, Position position) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(id, position);
    ++size_;
  }

  void clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    SeriesId id = 0;
    Position position = kEmpty;
  };

  std::size_t home(SeriesId id) const {
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 32) & mask_;
  }

  void place(SeriesId id, Position position) {
    std::size_t i = home(id);
    while (slots_[i].position != kEmpty) i = (i + 1) & mask_;
    slots_[i] = Slot{id, position};
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : 2 * old.size(), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.position != kEmpty) place(s.id, s.position);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace weir::models::mimir
