// Property 1: every sample of every acked write is in every zone's final reads.
#include "weir/properties/checks/check_no_lost_acked_samples.h"

#include <string>

#include <fmt/format.h>

#include "format.h"
#include "sample_lookup.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;

// The final drain reads one zone answered.
struct ZoneDrain {
  std::string zone;
  std::vector<const Read*> final_reads;     // every final read, ok or failed
  std::vector<const Read*> ok_final_reads;  // the successful ones
};

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

detail::SampleTally tally_write_in_zone(const Write& write, const ZoneDrain& drain,
                                        const detail::ReturnedSamples& returned) {
  detail::SampleTally tally;
  for (const auto& run : write.samples) {
    for (std::uint32_t i = 0; i < run.count; ++i) {
      const TimestampMs ts = run.timestamp(i);
      if (!covered_by_any(drain.ok_final_reads, run.series, ts)) {
        if (tally.uncovered++ == 0) {
          tally.first_uncovered_series = run.series;
          tally.first_uncovered_ts = ts;
        }
        continue;
      }
      detail::tally_sample(tally, returned, run.series, ts, run.value(i));
    }
  }
  return tally;
}

void report(detail::ViolationSink& sink, const Write& write, const ZoneDrain& drain,
            const detail::SampleTally& tally) {
  const std::string who =
      fmt::format("acked write #{} (tenant {}, client {}, invoked {}, acked {})", write.id,
                  write.tenant, write.client, format_time(write.invoked_at),
                  format_time(write.completed_at.value_or(0)));
  if (tally.missing > 0) {
    sink.add(fmt::format("{}: {} of {} samples missing from the final reads of zone {} ({}); first: {}",
                         who, tally.missing, tally.checked, drain.zone, read_ids(drain.ok_final_reads),
                         format_sample(tally.first_missing_series, tally.first_missing_ts,
                                       tally.first_missing_value)));
  }
  if (tally.wrong_value > 0) {
    sink.add(fmt::format(
        "{}: {} samples have another value in the final reads of zone {} ({}); first: {}: acked value {}, read value {}",
        who, tally.wrong_value, drain.zone, read_ids(drain.ok_final_reads),
        format_sample(tally.first_wrong_series, tally.first_wrong_ts), tally.first_wrong_expected,
        tally.first_wrong_returned));
  }
  if (tally.uncovered > 0) {
    sink.add(fmt::format(
        "{}: {} samples not covered by any successful final read of zone {} ({}), so not shown kept; first: {}",
        who, tally.uncovered, drain.zone, read_ids(drain.final_reads),
        format_sample(tally.first_uncovered_series, tally.first_uncovered_ts)));
  }
}

}  // namespace

PropertyResult check_no_lost_acked_samples(const History& history,
                                                   const CheckOptions& options) {
  detail::ViolationSink sink(property_id::no_lost_acked_samples,
                             options.max_violations_per_property);
  const auto drains = zone_drains(history);
  std::vector<detail::ReturnedSamples> returned;
  for (const auto& drain : drains) returned.emplace_back(drain.ok_final_reads);
  for (const auto& write : history.writes()) {
    if (!write.acked()) continue;
    for (std::size_t z = 0; z < drains.size(); ++z) {
      const detail::SampleTally tally = tally_write_in_zone(write, drains[z], returned[z]);
      sink.judged(tally.checked);
      report(sink, write, drains[z], tally);
    }
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
