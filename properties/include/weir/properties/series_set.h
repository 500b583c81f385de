// SeriesSet: the series a read selects, as an immutable list of ids shared by
// every copy.
//
// A read's selector is copied into the query of every partition and onto the
// network for each; at a million series a copy would be 8 MB, so copies share
// one list. Read-only after construction; the ids are kept in the order given
// (make_selector sorts them, History checks they are sorted and unique).
//
// Contract: a plain value, cheap to copy; the list lives while any copy does.
#pragma once

#include <initializer_list>
#include <memory>
#include <vector>

#include "weir/properties/types.h"

namespace weir::properties {

class SeriesSet {
 public:
  SeriesSet() = default;
  SeriesSet(std::vector<SeriesId> ids)  // NOLINT: implicit, a list of ids is a series set
      : ids_(std::make_shared<const std::vector<SeriesId>>(std::move(ids))) {}
  SeriesSet(std::initializer_list<SeriesId> ids) : SeriesSet(std::vector<SeriesId>(ids)) {}

  const std::vector<SeriesId>& ids() const { return ids_ ? *ids_ : empty_ids(); }
  auto begin() const { return ids().begin(); }
  auto end() const { return ids().end(); }
  std::size_t size() const { return ids().size(); }
  bool empty() const { return ids().empty(); }

  // Whether `id` is in a sorted set. Series ids are hashes, spread evenly
  // over 64 bits, so the search starts where `id` would sit if they were
  // exactly even and widens from there: a few probes instead of a binary
  // search's log2(n). Correct for any sorted ids, only fastest for hashes.
  bool contains_sorted(SeriesId id) const;

  bool operator==(const SeriesSet& other) const { return ids() == other.ids(); }

 private:
  static const std::vector<SeriesId>& empty_ids() {
    static const std::vector<SeriesId> none;
    return none;
  }

  std::shared_ptr<const std::vector<SeriesId>> ids_;
};

}  // namespace weir::properties
