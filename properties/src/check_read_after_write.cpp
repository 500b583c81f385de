// Property 4: a strong read sees every write acked before it was invoked.
#include "weir/properties/checks/check_read_after_write.h"

#include <string>

#include <fmt/format.h>

#include "format.h"
#include "sample_lookup.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;

std::string describe_read(const Read& read) {
  return fmt::format("strong read #{} (invoked {}, answered by zone {} querier {} at {})", read.id,
                     format_time(read.invoked_at), read.zone, read.querier,
                     format_time(read.completed_at.value_or(0)));
}

std::string describe_write(const Write& write) {
  return fmt::format("write #{} (tenant {}, acked {})", write.id, write.tenant,
                     format_time(write.completed_at.value_or(0)));
}

// The read, the write, the sample and the read's zone, from the write's
// invocation to the read's answer.
Evidence evidence(const Read& read, const Write& write, SeriesId series, TimestampMs ts) {
  Evidence e;
  e.write = write.id;
  e.read = read.id;
  e.series = series;
  e.sample_ts_ms = ts;
  e.zones = {read.zone};
  e.from_ns = write.invoked_at;
  e.to_ns = read.completed_at;
  return e;
}

void check_read(const Read& read, const detail::AckedRuns& acked, detail::ViolationSink& sink) {
  const Read* reads[] = {&read};
  const detail::ReturnedSamples returned(reads);
  bool judged = false;
  const auto judge = [&](const Write& write, const detail::SampleTally& tally) {
    judged = judged || tally.checked > 0;
    if (tally.missing > 0) {
      sink.add(fmt::format("{} missed {} of {} covered samples of {}; first: {}", describe_read(read),
                           tally.missing, tally.checked, describe_write(write),
                           format_sample(tally.first_missing_series, tally.first_missing_ts,
                                         tally.first_missing_value)),
               evidence(read, write, tally.first_missing_series, tally.first_missing_ts));
    }
    if (tally.wrong_value > 0) {
      sink.add(fmt::format("{} returned {} samples of {} with another value; first: {}: written {}, read {}",
                           describe_read(read), tally.wrong_value, describe_write(write),
                           format_sample(tally.first_wrong_series, tally.first_wrong_ts),
                           tally.first_wrong_expected, tally.first_wrong_returned),
               evidence(read, write, tally.first_wrong_series, tally.first_wrong_ts));
    }
  };
  acked.tally_covered_before(read.invoked_at, read.selector, returned, judge);
  if (judged) sink.judged();
}

}  // namespace

PropertyResult check_read_after_write(const History& history, const CheckOptions& options) {
  detail::ViolationSink sink(property_id::read_after_write, options.max_violations_per_property);
  const auto judged = [](const Read& read) { return read.strong() && read.ok(); };
  const detail::AckedRuns acked(history, judged);
  for (const auto& read : history.reads()) {
    if (judged(read)) check_read(read, acked, sink);
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
