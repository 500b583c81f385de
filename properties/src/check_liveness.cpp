// Property 7: after the last fault heals, lag recovers, strong reads finish in
// time (and succeed when invoked after the heal), and every zone's final reads
// reach every acked sample.
#include "weir/properties/checks/check_liveness.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "final_reads.h"
#include "format.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_time;

struct Deadline {
  SimTime heal = 0;
  SimDuration bound = 0;
  SimTime at() const { return heal + bound; }
  std::string describe() const {
    return fmt::format("the deadline {} (last fault healed {} + bound {})", format_time(at()),
                       format_time(heal), format_time(bound));
  }
};

std::string ended(const History& history) {
  const auto& end = history.data().ended_at;
  return end ? fmt::format("; the run ended {}", format_time(*end)) : std::string();
}

std::map<std::pair<std::string, PartitionId>, std::vector<const LagSample*>> lag_by_ingester(
    const History& history) {
  std::map<std::pair<std::string, PartitionId>, std::vector<const LagSample*>> groups;
  for (const auto& sample : history.data().lag_samples) {
    groups[{sample.zone, sample.partition}].push_back(&sample);
  }
  for (auto& [key, samples] : groups) {
    std::stable_sort(samples.begin(), samples.end(),
                     [](const LagSample* a, const LagSample* b) { return a->at < b->at; });
  }
  return groups;
}

void check_lag(const std::string& zone, PartitionId partition,
               const std::vector<const LagSample*>& samples, const Deadline& deadline,
               SimDuration threshold, const History& history, detail::ViolationSink& sink) {
  const std::string where = fmt::format("zone {} partition {}", zone, partition);
  Evidence evidence;
  evidence.zones = {zone};
  evidence.partition = partition;
  evidence.from_ns = deadline.heal;
  evidence.to_ns = history.data().ended_at;
  if (samples.back()->at < deadline.heal) {
    sink.add(fmt::format("{}: no lag sample at or after the heal at {} (last at {}){}", where,
                         format_time(deadline.heal), format_time(samples.back()->at),
                         ended(history)),
             evidence);
    return;
  }
  // The last sample at or over the threshold, and the first under it after that.
  const auto last_high = std::find_if(samples.rbegin(), samples.rend(),
                                      [&](const LagSample* s) { return s->lag >= threshold; });
  if (last_high == samples.rend()) return;
  if (last_high == samples.rbegin()) {
    sink.add(fmt::format("{}: lag never got under {}: {} at {}, past {}{}", where,
                         format_time(threshold), format_time((*last_high)->lag),
                         format_time((*last_high)->at), deadline.describe(), ended(history)),
             evidence);
    return;
  }
  const LagSample& recovered = **std::prev(last_high);
  if (recovered.at <= deadline.at()) return;
  sink.add(fmt::format("{}: lag got under {} only at {}, after {}; it was {} at {}", where,
                       format_time(threshold), format_time(recovered.at), deadline.describe(),
                       format_time((*last_high)->lag), format_time((*last_high)->at)),
           evidence);
}

// A client request: its first attempt and its retries.
struct Request {
  bool ok = false;    // some attempt succeeded
  ReadId last = 0;    // the last attempt
};
using Requests = std::map<ReadId, Request>;  // by first attempt

Requests requests_of(const History& history) {
  Requests requests;
  for (const auto& read : history.reads()) {
    Request& request = requests[read.retry_of.value_or(read.id)];
    request.ok = request.ok || read.ok();
    request.last = read.id;
  }
  return requests;
}

// Once healed the system owes strong requests success, not only an answer;
// requests invoked during faults may fail, and so may an attempt that a
// retry made good.
Evidence read_evidence(const Read& read, SimTime to) {
  Evidence e;
  e.read = read.id;
  if (!read.zone.empty()) e.zones = {read.zone};
  e.from_ns = read.invoked_at;
  e.to_ns = to;
  return e;
}

void check_healed_strong_read(const Read& read, const Deadline& deadline, const Requests& requests,
                              detail::ViolationSink& sink) {
  if (read.invoked_at < deadline.heal || read.outcome != ReadOutcome::error) return;
  // Judged once per request, at its last attempt.
  const ReadId first = read.retry_of.value_or(read.id);
  const Request& request = requests.at(first);
  if (request.ok || request.last != read.id) return;
  sink.add(fmt::format("strong read #{} invoked {}, at or after the last fault healed {}, failed at {} in zone {} (querier {}): {}{}",
                       read.id, format_time(read.invoked_at), format_time(deadline.heal),
                       format_time(read.completed_at.value_or(read.invoked_at)),
                       read.zone.empty() ? "?" : read.zone, read.querier.empty() ? "?" : read.querier,
                       read.error, read.retry_of ? fmt::format(" (the last retry of read #{})", first) : ""),
           read_evidence(read, read.completed_at.value_or(read.invoked_at)));
}

void check_strong_read(const Read& read, const Deadline& deadline, const History& history,
                       const Requests& requests, SimDuration read_timeout,
                       detail::ViolationSink& sink) {
  check_healed_strong_read(read, deadline, requests, sink);
  if (read.invoked_at >= deadline.at()) return;
  SimTime due = std::max(deadline.heal, read.invoked_at) + deadline.bound;
  if (read.invoked_at < deadline.heal) due = std::max(due, read.invoked_at + read_timeout);
  if (read.completed_at && *read.completed_at <= due) return;
  const std::string who = fmt::format("strong read #{} invoked {}", read.id, format_time(read.invoked_at));
  if (read.completed_at) {
    sink.add(fmt::format("{} completed only at {} ({}), after its due time {} ({})", who,
                         format_time(*read.completed_at), to_string(read.outcome),
                         format_time(due), deadline.describe()),
             read_evidence(read, *read.completed_at));
  } else {
    sink.add(fmt::format("{} never completed; due {} ({}){}", who, format_time(due),
                         deadline.describe(), ended(history)),
             read_evidence(read, history.data().ended_at.value_or(due)));
  }
}

Evidence final_reads_evidence(const detail::ZoneDrain& drain, const Deadline& deadline,
                              const detail::UnprovenSamples& unproven) {
  Evidence e;
  e.zones = {drain.zone};
  if (!drain.final_reads.empty()) {
    e.read = drain.final_reads.front()->id;
    e.to_ns = drain.final_reads.back()->completed_at;
  }
  if (unproven.count > 0) {
    e.series = unproven.first_series;
    e.sample_ts_ms = unproven.first_ts;
  }
  e.from_ns = deadline.heal;
  return e;
}

// A zone whose final reads failed (or missed acked samples) leaves those
// samples unproven: the drain never showed them kept, nor lost.
void check_final_reads(const History& history, const detail::ZoneDrain& drain,
                       const Deadline& deadline, detail::ViolationSink& sink) {
  const detail::UnprovenSamples unproven = detail::unproven_samples(history, drain);
  const bool failed = drain.ok_final_reads.size() < drain.final_reads.size();
  if (unproven.count == 0 && !failed) return;
  const std::string first =
      unproven.count == 0 ? std::string()
                          : fmt::format("; first: {}", detail::format_sample(unproven.first_series, unproven.first_ts));
  sink.add(fmt::format("zone {}: final reads after the last fault healed {} ({}) left {} acked samples unproven: no successful final read covers them{}",
                       drain.zone, format_time(deadline.heal), detail::read_ids(drain.final_reads),
                       unproven.count, first),
           final_reads_evidence(drain, deadline, unproven));
}

}  // namespace

PropertyResult check_liveness(const History& history, const CheckOptions& options) {
  detail::ViolationSink sink(property_id::liveness, options.max_violations_per_property);
  const Deadline deadline{history.data().last_fault_healed_at.value_or(0), options.liveness_bound};
  for (const auto& [key, samples] : lag_by_ingester(history)) {
    sink.judged();
    check_lag(key.first, key.second, samples, deadline, options.lag_threshold, history, sink);
  }
  const Requests requests = requests_of(history);
  for (const auto& read : history.reads()) {
    if (!read.strong()) continue;
    sink.judged();
    check_strong_read(read, deadline, history, requests, options.read_timeout, sink);
  }
  for (const auto& drain : detail::zone_drains(history)) {
    sink.judged();
    check_final_reads(history, drain, deadline, sink);
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
