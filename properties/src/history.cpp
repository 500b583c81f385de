// The History recorder and the small methods of the history types.
#include "weir/properties/history.h"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "weir/properties/sample_value.h"

namespace weir::properties {

// ---- SampleRun -------------------------------------------------------------

TimestampMs SampleRun::last_ms() const {
  return count == 0 ? first_ms : timestamp(count - 1);
}

TimestampMs SampleRun::timestamp(std::uint32_t index) const {
  return first_ms + step_ms * static_cast<std::int64_t>(index);
}

double SampleRun::value(std::uint32_t index) const {
  return values.empty() ? sample_value(series, timestamp(index)) : values.at(index);
}

std::optional<std::uint32_t> SampleRun::index_of(TimestampMs ts) const {
  if (count == 0 || ts < first_ms || ts > last_ms()) return std::nullopt;
  if (count == 1 || step_ms <= 0) {
    return ts == first_ms ? std::optional<std::uint32_t>(0) : std::nullopt;
  }
  if ((ts - first_ms) % step_ms != 0) return std::nullopt;
  return static_cast<std::uint32_t>((ts - first_ms) / step_ms);
}

SampleRun make_run(SeriesId series, TimestampMs first_ms, std::int64_t step_ms,
                   std::uint32_t count) {
  return SampleRun{series, first_ms, step_ms, count, {}};
}

// ---- enums and selectors ---------------------------------------------------

std::string_view to_string(WriteOutcome outcome) {
  switch (outcome) {
    case WriteOutcome::pending: return "pending";
    case WriteOutcome::acked: return "acked";
    case WriteOutcome::rejected: return "rejected";
    case WriteOutcome::failed: return "failed";
    case WriteOutcome::timed_out: return "timed_out";
  }
  return "unknown";
}

std::string_view to_string(ReadConsistency consistency) {
  return consistency == ReadConsistency::strong ? "strong" : "eventual";
}

std::string_view to_string(ReadOutcome outcome) {
  switch (outcome) {
    case ReadOutcome::pending: return "pending";
    case ReadOutcome::ok: return "ok";
    case ReadOutcome::error: return "error";
  }
  return "unknown";
}

std::string_view to_string(IngesterEventKind kind) {
  switch (kind) {
    case IngesterEventKind::applied: return "applied";
    case IngesterEventKind::committed: return "committed";
    case IngesterEventKind::restarted: return "restarted";
    case IngesterEventKind::commit_attempted: return "commit_attempted";
  }
  return "unknown";
}

bool ReadSelector::selects(SeriesId id) const { return series.contains_sorted(id); }

bool ReadSelector::covers(SeriesId id, TimestampMs ts) const {
  return ts >= start_ms && ts <= end_ms && selects(id);
}

ReadSelector make_selector(std::vector<SeriesId> series, TimestampMs start_ms, TimestampMs end_ms) {
  std::sort(series.begin(), series.end());
  series.erase(std::unique(series.begin(), series.end()), series.end());
  return ReadSelector{std::move(series), start_ms, end_ms};
}

// ---- validation ------------------------------------------------------------

namespace {

void validate_run(const SampleRun& run, std::string_view where) {
  if (run.count == 0) throw HistoryError(fmt::format("{}: a sample run of series {:#x} is empty", where, run.series));
  if (run.count > 1 && run.step_ms <= 0) {
    throw HistoryError(fmt::format("{}: run of series {:#x} has {} samples but step {} ms", where,
                                   run.series, run.count, run.step_ms));
  }
  if (!run.values.empty() && run.values.size() != run.count) {
    throw HistoryError(fmt::format("{}: run of series {:#x} has {} samples but {} values", where,
                                   run.series, run.count, run.values.size()));
  }
}

void normalize(ReadSelector& selector) {
  selector = make_selector(selector.series.ids(), selector.start_ms, selector.end_ms);
}

void validate_write(const Write& write, std::size_t index) {
  const std::string where = fmt::format("write #{}", index);
  if (write.id != index) throw HistoryError(fmt::format("{} has id {}", where, write.id));
  const bool pending = write.outcome == WriteOutcome::pending;
  if (pending == write.completed_at.has_value()) {
    throw HistoryError(fmt::format("{} is {} but {} a completion time", where,
                                   to_string(write.outcome), pending ? "has" : "lacks"));
  }
  for (const auto& run : write.samples) validate_run(run, where);
}

void validate_read(const Read& read, std::size_t index) {
  const std::string where = fmt::format("read #{}", index);
  if (read.id != index) throw HistoryError(fmt::format("{} has id {}", where, read.id));
  const bool pending = read.outcome == ReadOutcome::pending;
  if (pending == read.completed_at.has_value()) {
    throw HistoryError(fmt::format("{} is {} but {} a completion time", where,
                                   to_string(read.outcome), pending ? "has" : "lacks"));
  }
  if (!std::is_sorted(read.selector.series.begin(), read.selector.series.end()) ||
      std::adjacent_find(read.selector.series.begin(), read.selector.series.end()) !=
          read.selector.series.end()) {
    throw HistoryError(fmt::format("{}: selector series are not sorted and unique", where));
  }
  if (read.retry_of && *read.retry_of >= index) {
    throw HistoryError(fmt::format("{} retries read #{}, which is not an earlier read", where, *read.retry_of));
  }
}

}  // namespace

History History::from_data(HistoryData data) {
  for (std::size_t i = 0; i < data.writes.size(); ++i) validate_write(data.writes[i], i);
  for (std::size_t i = 0; i < data.reads.size(); ++i) validate_read(data.reads[i], i);
  History history;
  history.data_ = std::move(data);
  return history;
}

// ---- recorder --------------------------------------------------------------

void History::declare_zone(std::string zone) {
  if (std::find(data_.zones.begin(), data_.zones.end(), zone) == data_.zones.end()) {
    data_.zones.push_back(std::move(zone));
  }
}

WriteId History::record_write_invoke(std::string tenant, std::string client, SimTime at,
                                     std::vector<SampleRun> samples) {
  const WriteId id = data_.writes.size();
  for (const auto& run : samples) validate_run(run, fmt::format("write #{}", id));
  data_.writes.push_back(Write{id, std::move(tenant), std::move(client), at, std::nullopt,
                               WriteOutcome::pending, {}, std::move(samples)});
  return id;
}

void History::record_write_complete(WriteId id, SimTime at, WriteOutcome outcome,
                                    std::string detail) {
  Write& write = mutable_write(id);
  if (outcome == WriteOutcome::pending) {
    throw HistoryError(fmt::format("write #{} completed as pending", id));
  }
  if (write.completed_at) throw HistoryError(fmt::format("write #{} completed twice", id));
  write.completed_at = at;
  write.outcome = outcome;
  write.detail = std::move(detail);
}

ReadId History::record_read_invoke(ReadConsistency consistency, ReadSelector selector, SimTime at,
                                   bool final_drain) {
  const ReadId id = data_.reads.size();
  normalize(selector);
  Read read;
  read.id = id;
  read.consistency = consistency;
  read.selector = std::move(selector);
  read.final_drain = final_drain;
  read.invoked_at = at;
  data_.reads.push_back(std::move(read));
  return id;
}

ReadId History::record_read_retry(ReadId first_attempt, SimTime at) {
  const Read& first = read(first_attempt);
  if (first.retry_of) throw HistoryError(fmt::format("read #{} is itself a retry", first_attempt));
  const ReadId id = record_read_invoke(first.consistency, first.selector, at, first.final_drain);
  data_.reads.back().retry_of = first_attempt;
  return id;
}

Read& History::pending_read(ReadId id, SimTime at) {
  Read& read = mutable_read(id);
  if (read.completed_at) throw HistoryError(fmt::format("read #{} completed twice", id));
  read.completed_at = at;
  return read;
}

void History::record_read_complete(ReadId id, SimTime at, std::string zone, std::string querier,
                                   std::vector<SeriesResult> result) {
  Read& read = pending_read(id, at);
  read.outcome = ReadOutcome::ok;
  read.zone = std::move(zone);
  read.querier = std::move(querier);
  read.result = std::move(result);
}

void History::record_read_failed(ReadId id, SimTime at, std::string zone, std::string querier,
                                 std::string error) {
  Read& read = pending_read(id, at);
  read.outcome = ReadOutcome::error;
  read.zone = std::move(zone);
  read.querier = std::move(querier);
  read.error = std::move(error);
}

void History::record_applied(std::string_view zone, PartitionId partition, Offset offset,
                             RecordDigest digest, SimTime at) {
  data_.ingester_events.push_back(
      IngesterEvent{std::string(zone), partition, IngesterEventKind::applied, at, offset, digest});
}

void History::record_committed(std::string_view zone, PartitionId partition, Offset offset,
                               SimTime at) {
  data_.ingester_events.push_back(
      IngesterEvent{std::string(zone), partition, IngesterEventKind::committed, at, offset, 0});
}

void History::record_commit_attempted(std::string_view zone, PartitionId partition, Offset offset, SimTime at) {
  data_.ingester_events.push_back(
      IngesterEvent{std::string(zone), partition, IngesterEventKind::commit_attempted, at, offset, 0});
}

void History::record_restarted(std::string_view zone, PartitionId partition, SimTime at,
                               Offset resumed_at) {
  data_.ingester_events.push_back(IngesterEvent{std::string(zone), partition,
                                                IngesterEventKind::restarted, at, resumed_at, 0});
}

void History::record_log_ack(PartitionId partition, Offset offset, RecordDigest digest,
                             SimTime at) {
  data_.log_acks.push_back(LogAck{partition, offset, digest, at});
}

void History::record_log_bounds(PartitionId partition, Offset start_offset, Offset end_offset) {
  for (auto& bounds : data_.log_bounds) {
    if (bounds.partition == partition) {
      bounds = LogBounds{partition, start_offset, end_offset};
      return;
    }
  }
  data_.log_bounds.push_back(LogBounds{partition, start_offset, end_offset});
}

void History::record_lag(std::string_view zone, PartitionId partition, SimTime at,
                         SimDuration lag) {
  data_.lag_samples.push_back(LagSample{std::string(zone), partition, at, lag});
}

void History::record_fault_healed(SimTime at) {
  data_.last_fault_healed_at = std::max(at, data_.last_fault_healed_at.value_or(at));
}

void History::record_drain_completed(SimTime at) { data_.drained_at = at; }

void History::record_end(SimTime at) { data_.ended_at = at; }

// ---- accessors -------------------------------------------------------------

const Write& History::write(WriteId id) const {
  if (id >= data_.writes.size()) throw HistoryError(fmt::format("no write #{}", id));
  return data_.writes[id];
}

const Read& History::read(ReadId id) const {
  if (id >= data_.reads.size()) throw HistoryError(fmt::format("no read #{}", id));
  return data_.reads[id];
}

Write& History::mutable_write(WriteId id) {
  if (id >= data_.writes.size()) throw HistoryError(fmt::format("no write #{}", id));
  return data_.writes[id];
}

Read& History::mutable_read(ReadId id) {
  if (id >= data_.reads.size()) throw HistoryError(fmt::format("no read #{}", id));
  return data_.reads[id];
}

std::vector<std::string> History::zones_to_check() const {
  std::set<std::string> zones(data_.zones.begin(), data_.zones.end());
  if (zones.empty()) {
    for (const auto& read : data_.reads) {
      if (read.final_drain && read.completed_at) zones.insert(read.zone);
    }
  }
  return {zones.begin(), zones.end()};
}

}  // namespace weir::properties
