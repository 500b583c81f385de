// Property 5: every returned sample was sent by some write, with that value.
#include "weir/properties/checks/check_no_phantom_samples.h"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "sample_lookup.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;

// Phantoms of one read, with the first example of each kind.
struct PhantomTally {
  std::size_t never_written = 0;
  std::size_t wrong_value = 0;
  std::size_t outside_selector = 0;
  std::optional<std::pair<SeriesId, Sample>> first_never_written;
  std::optional<std::pair<SeriesId, Sample>> first_wrong_value;
  std::optional<std::pair<SeriesId, Sample>> first_outside_selector;
  const Write* wrong_value_writer = nullptr;  // a write that sent the first wrong-valued sample
  double written_value = 0;
};

void classify(PhantomTally& tally, const detail::SentSamples& sent, const Read& read,
              SeriesId series, const Sample& sample) {
  if (!read.selector.covers(series, sample.ts_ms)) {
    if (tally.outside_selector++ == 0) tally.first_outside_selector = {series, sample};
    return;
  }
  bool matched = false;
  std::optional<std::pair<detail::SentRun, std::uint32_t>> other;  // a run with another value
  sent.for_each_at(series, sample.ts_ms, [&](const detail::SentRun& run, std::uint32_t index) {
    if (detail::same_value(run.run->value(index), sample.value)) {
      matched = true;
    } else if (!other) {
      other = {run, index};
    }
  });
  if (matched) return;
  if (!other) {
    if (tally.never_written++ == 0) tally.first_never_written = {series, sample};
  } else if (tally.wrong_value++ == 0) {
    tally.first_wrong_value = {series, sample};
    tally.wrong_value_writer = other->first.write;
    tally.written_value = other->first.run->value(other->second);
  }
}

void report(const Read& read, const PhantomTally& tally, detail::ViolationSink& sink) {
  const std::string who =
      fmt::format("{} read #{} (invoked {}, answered by zone {} querier {} at {})",
                  to_string(read.consistency), read.id, format_time(read.invoked_at), read.zone,
                  read.querier, format_time(read.completed_at.value_or(0)));
  const auto evidence = [&read](const auto& first) {
    return Evidence{.read = read.id,
                    .series = first.first,
                    .sample_ts_ms = first.second.ts_ms,
                    .zones = {read.zone},
                    .from_ns = read.invoked_at,
                    .to_ns = read.completed_at};
  };
  if (const auto& first = tally.first_never_written) {
    sink.add(fmt::format("{} returned {} samples no write sent; first: {}", who,
                         tally.never_written,
                         format_sample(first->first, first->second.ts_ms, first->second.value)),
             evidence(*first));
  }
  if (const auto& first = tally.first_wrong_value) {
    sink.add(fmt::format("{} returned {} samples with a value no write sent; first: {}, but write #{} sent value {}",
                         who, tally.wrong_value,
                         format_sample(first->first, first->second.ts_ms, first->second.value),
                         tally.wrong_value_writer->id, tally.written_value),
             evidence(*first));
  }
  if (const auto& first = tally.first_outside_selector) {
    sink.add(fmt::format("{} returned {} samples outside its selector (ts [{}, {}]); first: {}", who,
                         tally.outside_selector, read.selector.start_ms, read.selector.end_ms,
                         format_sample(first->first, first->second.ts_ms, first->second.value)),
             evidence(*first));
  }
}

}  // namespace

PropertyResult check_no_phantom_samples(const History& history,
                                                const CheckOptions& options) {
  detail::ViolationSink sink(property_id::no_phantom_samples, options.max_violations_per_property);
  const detail::SentSamples sent(history.writes(), [](const Write&) { return true; });
  for (const auto& read : history.reads()) {
    if (!read.ok()) continue;
    PhantomTally tally;
    for (const auto& series : read.result) {
      sink.judged(series.samples.size());
      for (const auto& sample : series.samples) classify(tally, sent, read, series.series, sample);
    }
    report(read, tally, sink);
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
