// Property 1: every sample of every acked write that a zone's successful final
// reads cover is in them, with its value.
#include "weir/properties/checks/check_no_lost_acked_samples.h"

#include <string>

#include <fmt/format.h>

#include "final_reads.h"
#include "format.h"
#include "sample_lookup.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;
using detail::read_ids;
using detail::ZoneDrain;

detail::SampleTally tally_write_in_zone(const Write& write, const ZoneDrain& drain,
                                        const detail::ReturnedSamples& returned) {
  detail::SampleTally tally;
  for (const auto& run : write.samples) {
    detail::ReturnedCursor cursor(returned.of(run.series));
    for (std::uint32_t i = 0; i < run.count; ++i) {
      const TimestampMs ts = run.timestamp(i);
      // What no successful final read reaches is unproven, not lost: check_liveness reports it.
      if (!detail::covered_by_any(drain.ok_final_reads, run.series, ts)) continue;
      detail::tally_found(tally, cursor.at(ts), run.series, ts, run.value(i));
    }
  }
  return tally;
}

// The write, the sample, the zone and its first final read, from the
// write's invocation to that read's answer.
Evidence evidence(const Write& write, const ZoneDrain& drain, SeriesId series, TimestampMs ts) {
  Evidence e;
  e.write = write.id;
  e.series = series;
  e.sample_ts_ms = ts;
  e.zones = {drain.zone};
  e.from_ns = write.invoked_at;
  if (!drain.ok_final_reads.empty()) {
    e.read = drain.ok_final_reads.front()->id;
    e.to_ns = drain.ok_final_reads.front()->completed_at;
  }
  return e;
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
                                       tally.first_missing_value)),
             evidence(write, drain, tally.first_missing_series, tally.first_missing_ts));
  }
  if (tally.wrong_value > 0) {
    sink.add(fmt::format(
        "{}: {} samples have another value in the final reads of zone {} ({}); first: {}: acked value {}, read value {}",
        who, tally.wrong_value, drain.zone, read_ids(drain.ok_final_reads),
        format_sample(tally.first_wrong_series, tally.first_wrong_ts), tally.first_wrong_expected,
        tally.first_wrong_returned),
             evidence(write, drain, tally.first_wrong_series, tally.first_wrong_ts));
  }
}

}  // namespace

PropertyResult check_no_lost_acked_samples(const History& history,
                                                   const CheckOptions& options) {
  detail::ViolationSink sink(property_id::no_lost_acked_samples,
                             options.max_violations_per_property);
  const auto drains = detail::zone_drains(history);
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
