// The client-visible record of one run, and the recorder that builds it.
//
// Contract: History is append-only. Models call the record_* methods as
// things happen; checkers read the plain HistoryData through data() or the
// accessors. Write and read ids are handed out by the recorder and equal the
// index in writes() / reads(). A recording call that makes no sense (an
// unknown id, completing twice, a run with a wrong number of values) throws
// HistoryError: it is a bug in the caller, not in the system under test.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/liveness_info.h"
#include "weir/properties/log_events.h"
#include "weir/properties/read.h"
#include "weir/properties/types.h"
#include "weir/properties/write.h"

namespace weir::properties {

class HistoryError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct HistoryData {
  std::vector<std::string> zones;  // zones meant to hold every partition; empty: zones of final reads
  std::vector<Write> writes;
  std::vector<Read> reads;
  std::vector<IngesterEvent> ingester_events;
  std::vector<LogAck> log_acks;
  std::vector<LogBounds> log_bounds;
  std::vector<LagSample> lag_samples;
  std::optional<SimTime> last_fault_healed_at;
  std::optional<SimTime> drained_at;
  std::optional<SimTime> ended_at;

  bool operator==(const HistoryData&) const = default;
};

class History {
 public:
  History() = default;
  // Adopts recorded data (e.g. loaded from a file); throws HistoryError when
  // it breaks the recorder's invariants.
  static History from_data(HistoryData data);

  // Topology.
  void declare_zone(std::string zone);

  // Writes.
  WriteId record_write_invoke(std::string tenant, std::string client, SimTime at,
                              std::vector<SampleRun> samples);
  void record_write_complete(WriteId id, SimTime at, WriteOutcome outcome, std::string detail = {});

  // Reads.
  ReadId record_read_invoke(ReadConsistency consistency, ReadSelector selector, SimTime at,
                            bool final_drain = false);
  // A client's retry of the failed read `first_attempt` (same consistency and
  // selector), invoked at `at`.
  ReadId record_read_retry(ReadId first_attempt, SimTime at);
  void record_read_complete(ReadId id, SimTime at, std::string zone, std::string querier,
                            std::vector<SeriesResult> result);
  void record_read_failed(ReadId id, SimTime at, std::string zone, std::string querier,
                          std::string error);

  // Ingesters, per (zone, partition).
  void record_applied(std::string_view zone, PartitionId partition, Offset offset,
                      RecordDigest digest, SimTime at);
  void record_committed(std::string_view zone, PartitionId partition, Offset offset, SimTime at);
  // A commit request about to be sent (recorded first: the ingester may die
  // or lose the answer, and the log may have stored it all the same).
  void record_commit_attempted(std::string_view zone, PartitionId partition, Offset offset, SimTime at);
  void record_restarted(std::string_view zone, PartitionId partition, SimTime at,
                        Offset resumed_at);

  // The log.
  void record_log_ack(PartitionId partition, Offset offset, RecordDigest digest, SimTime at);
  void record_log_bounds(PartitionId partition, Offset start_offset, Offset end_offset);

  // Liveness.
  void record_lag(std::string_view zone, PartitionId partition, SimTime at, SimDuration lag);
  void record_fault_healed(SimTime at);  // keeps the latest
  void record_drain_completed(SimTime at);
  void record_end(SimTime at);

  const HistoryData& data() const { return data_; }
  const std::vector<Write>& writes() const { return data_.writes; }
  const std::vector<Read>& reads() const { return data_.reads; }
  const Write& write(WriteId id) const;
  const Read& read(ReadId id) const;

  // Declared zones, or else the zones that answered final drain reads; sorted.
  std::vector<std::string> zones_to_check() const;

  bool operator==(const History&) const = default;

 private:
  Write& mutable_write(WriteId id);
  Read& mutable_read(ReadId id);
  Read& pending_read(ReadId id, SimTime at);

  HistoryData data_;
};

}  // namespace weir::properties
