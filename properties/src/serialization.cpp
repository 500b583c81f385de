// Saving and loading a History as a weir.properties.pb.History message.
#include "weir/properties/serialization.h"

#include <limits>
#include <optional>

#include <fmt/format.h>

#include "weir/properties/proto/history.pb.h"

namespace weir::properties {
namespace {

// ---- to protobuf -----------------------------------------------------------

template <typename T, typename Setter>
void set_optional(const std::optional<T>& value, Setter set) {
  if (value) set(*value);
}

void to_pb(const SampleRun& run, pb::SampleRun& out) {
  out.set_series(run.series);
  out.set_first_ms(run.first_ms);
  out.set_step_ms(run.step_ms);
  out.set_count(run.count);
  out.mutable_values()->Add(run.values.begin(), run.values.end());
}

void to_pb(const Write& write, pb::Write& out) {
  out.set_id(write.id);
  out.set_tenant(write.tenant);
  out.set_client(write.client);
  out.set_invoked_at(write.invoked_at);
  set_optional(write.completed_at, [&](SimTime t) { out.set_completed_at(t); });
  out.set_outcome(static_cast<pb::WriteOutcome>(write.outcome));
  out.set_detail(write.detail);
  for (const auto& run : write.samples) to_pb(run, *out.add_samples());
}

void to_pb(const SeriesResult& series, pb::SeriesResult& out) {
  out.set_series(series.series);
  for (const auto& sample : series.samples) {
    out.add_timestamps_ms(sample.ts_ms);
    out.add_values(sample.value);
  }
}

void to_pb(const Read& read, pb::Read& out) {
  out.set_id(read.id);
  out.set_consistency(static_cast<pb::ReadConsistency>(read.consistency));
  out.mutable_selector_series()->Add(read.selector.series.begin(), read.selector.series.end());
  out.set_selector_start_ms(read.selector.start_ms);
  out.set_selector_end_ms(read.selector.end_ms);
  out.set_final_drain(read.final_drain);
  set_optional(read.retry_of, [&](ReadId first) { out.set_retry_of(first); });
  out.set_invoked_at(read.invoked_at);
  set_optional(read.completed_at, [&](SimTime t) { out.set_completed_at(t); });
  out.set_outcome(static_cast<pb::ReadOutcome>(read.outcome));
  out.set_zone(read.zone);
  out.set_querier(read.querier);
  out.set_error(read.error);
  for (const auto& series : read.result) to_pb(series, *out.add_result());
}

void to_pb(const IngesterEvent& event, pb::IngesterEvent& out) {
  out.set_zone(event.zone);
  out.set_partition(event.partition);
  out.set_kind(static_cast<pb::IngesterEventKind>(event.kind));
  out.set_at(event.at);
  out.set_offset(event.offset);
  out.set_digest(event.digest);
}

pb::History to_pb(const HistoryData& data) {
  pb::History out;
  out.set_format_version(kHistoryFormatVersion);
  for (const auto& zone : data.zones) out.add_zones(zone);
  for (const auto& write : data.writes) to_pb(write, *out.add_writes());
  for (const auto& read : data.reads) to_pb(read, *out.add_reads());
  for (const auto& event : data.ingester_events) to_pb(event, *out.add_ingester_events());
  for (const auto& ack : data.log_acks) {
    auto& a = *out.add_log_acks();
    a.set_partition(ack.partition);
    a.set_offset(ack.offset);
    a.set_digest(ack.digest);
    a.set_acked_at(ack.acked_at);
  }
  for (const auto& bounds : data.log_bounds) {
    auto& b = *out.add_log_bounds();
    b.set_partition(bounds.partition);
    b.set_start_offset(bounds.start_offset);
    b.set_end_offset(bounds.end_offset);
  }
  for (const auto& lag : data.lag_samples) {
    auto& l = *out.add_lag_samples();
    l.set_zone(lag.zone);
    l.set_partition(lag.partition);
    l.set_at(lag.at);
    l.set_lag(lag.lag);
  }
  set_optional(data.last_fault_healed_at, [&](SimTime t) { out.set_last_fault_healed_at(t); });
  set_optional(data.drained_at, [&](SimTime t) { out.set_drained_at(t); });
  set_optional(data.ended_at, [&](SimTime t) { out.set_ended_at(t); });
  return out;
}

// ---- from protobuf ---------------------------------------------------------

template <typename Enum>
Enum checked_enum(int value, int max, std::string_view what) {
  if (value < 0 || value > max) {
    throw HistoryFormatError(fmt::format("history: unknown {} value {}", what, value));
  }
  return static_cast<Enum>(value);
}

SampleRun from_pb(const pb::SampleRun& run) {
  return SampleRun{run.series(), run.first_ms(), run.step_ms(), run.count(),
                   {run.values().begin(), run.values().end()}};
}

Write from_pb(const pb::Write& in) {
  Write write;
  write.id = in.id();
  write.tenant = in.tenant();
  write.client = in.client();
  write.invoked_at = in.invoked_at();
  if (in.has_completed_at()) write.completed_at = in.completed_at();
  write.outcome = checked_enum<WriteOutcome>(in.outcome(), 4, "write outcome");
  write.detail = in.detail();
  for (const auto& run : in.samples()) write.samples.push_back(from_pb(run));
  return write;
}

SeriesResult from_pb(const pb::SeriesResult& in, std::uint64_t read_id) {
  if (in.timestamps_ms_size() != in.values_size()) {
    throw HistoryFormatError(fmt::format(
        "history: read #{} series {:#x} has {} timestamps but {} values", read_id, in.series(),
        in.timestamps_ms_size(), in.values_size()));
  }
  SeriesResult series{in.series(), {}};
  for (int i = 0; i < in.timestamps_ms_size(); ++i) {
    series.samples.push_back(Sample{in.timestamps_ms(i), in.values(i)});
  }
  return series;
}

Read from_pb(const pb::Read& in) {
  Read read;
  read.id = in.id();
  read.consistency = checked_enum<ReadConsistency>(in.consistency(), 1, "read consistency");
  read.selector.series = std::vector<SeriesId>(in.selector_series().begin(), in.selector_series().end());
  read.selector.start_ms = in.selector_start_ms();
  read.selector.end_ms = in.selector_end_ms();
  read.final_drain = in.final_drain();
  if (in.has_retry_of()) read.retry_of = in.retry_of();
  read.invoked_at = in.invoked_at();
  if (in.has_completed_at()) read.completed_at = in.completed_at();
  read.outcome = checked_enum<ReadOutcome>(in.outcome(), 2, "read outcome");
  read.zone = in.zone();
  read.querier = in.querier();
  read.error = in.error();
  for (const auto& series : in.result()) read.result.push_back(from_pb(series, read.id));
  return read;
}

IngesterEvent from_pb(const pb::IngesterEvent& in) {
  return IngesterEvent{in.zone(),
                       in.partition(),
                       checked_enum<IngesterEventKind>(in.kind(), 3, "ingester event kind"),
                       in.at(),
                       in.offset(),
                       in.digest()};
}

HistoryData from_pb(const pb::History& in) {
  HistoryData data;
  data.zones.assign(in.zones().begin(), in.zones().end());
  for (const auto& write : in.writes()) data.writes.push_back(from_pb(write));
  for (const auto& read : in.reads()) data.reads.push_back(from_pb(read));
  for (const auto& event : in.ingester_events()) data.ingester_events.push_back(from_pb(event));
  for (const auto& a : in.log_acks()) {
    data.log_acks.push_back(LogAck{a.partition(), a.offset(), a.digest(), a.acked_at()});
  }
  for (const auto& b : in.log_bounds()) {
    data.log_bounds.push_back(LogBounds{b.partition(), b.start_offset(), b.end_offset()});
  }
  for (const auto& l : in.lag_samples()) {
    data.lag_samples.push_back(LagSample{l.zone(), l.partition(), l.at(), l.lag()});
  }
  if (in.has_last_fault_healed_at()) data.last_fault_healed_at = in.last_fault_healed_at();
  if (in.has_drained_at()) data.drained_at = in.drained_at();
  if (in.has_ended_at()) data.ended_at = in.ended_at();
  return data;
}

}  // namespace

std::string save_history(const History& history) {
  std::string bytes;
  if (!to_pb(history.data()).SerializeToString(&bytes)) {
    throw HistoryFormatError("history: protobuf serialization failed");
  }
  return bytes;
}

History load_history(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw HistoryFormatError(fmt::format("history: {} bytes is too large to parse", bytes.size()));
  }
  pb::History message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw HistoryFormatError(
        fmt::format("history: malformed input: {} bytes are not a weir history protobuf", bytes.size()));
  }
  if (message.format_version() != kHistoryFormatVersion) {
    throw HistoryFormatError(fmt::format("history: unsupported format version {} (expected {})",
                                         message.format_version(), kHistoryFormatVersion));
  }
  try {
    return History::from_data(from_pb(message));
  } catch (const HistoryError& error) {
    throw HistoryFormatError(fmt::format("history: inconsistent content: {}", error.what()));
  }
}

}  // namespace weir::properties
