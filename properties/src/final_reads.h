// Private: the final drain reads of each zone to check, and the acked
// samples they could not reach.
//
// Contract: zone_drains() lists, per zone of History::zones_to_check() in
// order, its final drain reads (ok or failed, in read id order) and the
// successful ones. unproven_samples() counts the samples of acked writes
// that no successful final read of the zone covers: the drain cannot say
// whether the zone kept them (a liveness finding, not a loss).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "weir/properties/history.h"

namespace weir::properties::detail {

struct ZoneDrain {
  std::string zone;
  std::vector<const Read*> final_reads;     // every final read, ok or failed
  std::vector<const Read*> ok_final_reads;  // the successful ones
};

std::vector<ZoneDrain> zone_drains(const History& history);

bool covered_by_any(const std::vector<const Read*>& reads, SeriesId series, TimestampMs ts);

// "read #3, #4 (failed: ...)", or "no final read".
std::string read_ids(const std::vector<const Read*>& reads);

struct UnprovenSamples {
  std::size_t count = 0;
  SeriesId first_series = 0;
  TimestampMs first_ts = 0;
};

UnprovenSamples unproven_samples(const History& history, const ZoneDrain& drain);

}  // namespace weir::properties::detail
