// Private: final drain reads per zone, and what they left unproven.
#include "final_reads.h"

#include <fmt/format.h>

namespace weir::properties::detail {

std::vector<ZoneDrain> zone_drains(const History& history) {
  std::vector<ZoneDrain> drains;
  for (const auto& zone : history.zones_to_check()) {
    ZoneDrain drain{zone, {}, {}};
    for (const auto& read : history.reads()) {
      if (!read.final_drain || read.zone != zone) continue;
      drain.final_reads.push_back(&read);
      if (read.ok()) drain.ok_final_reads.push_back(&read);
    }
    drains.push_back(std::move(drain));
  }
  return drains;
}

bool covered_by_any(const std::vector<const Read*>& reads, SeriesId series, TimestampMs ts) {
  for (const Read* read : reads) {
    if (read->selector.covers(series, ts)) return true;
  }
  return false;
}

std::string read_ids(const std::vector<const Read*>& reads) {
  if (reads.empty()) return "no final read";
  std::string ids;
  for (const Read* read : reads) {
    ids += fmt::format("{}#{}{}", ids.empty() ? "read " : ", ", read->id,
                       read->ok() ? "" : fmt::format(" (failed: {})", read->error));
  }
  return ids;
}

UnprovenSamples unproven_samples(const History& history, const ZoneDrain& drain) {
  UnprovenSamples unproven;
  for (const auto& write : history.writes()) {
    if (!write.acked()) continue;
    for (const auto& run : write.samples) {
      for (std::uint32_t i = 0; i < run.count; ++i) {
        const TimestampMs ts = run.timestamp(i);
        if (covered_by_any(drain.ok_final_reads, run.series, ts)) continue;
        if (unproven.count++ == 0) {
          unproven.first_series = run.series;
          unproven.first_ts = ts;
        }
      }
    }
  }
  return unproven;
}

}  // namespace weir::properties::detail
