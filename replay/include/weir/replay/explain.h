// Explain: the story of one violation, told from a trace file's domain
// events. Reads only the TraceFile (nothing is re-run); it must outlive the
// Story.
//
// The story starts from the violation's evidence (properties::Evidence): the
// write, the read, the partition and offset, the zones. From the write it
// finds the records the distributor produced for it (mimir.distributor.log_ack
// names write, partition, offset and record digest); for a lost sample it
// keeps the records some zone of the violation never applied. Then it keeps,
// in time order, the events that touch those records or the read:
//   - events naming the write or the read;
//   - for each record's partition: leader elections and ISR changes; log
//     recoveries; appends, fetches and commits whose offsets cover the
//     record; the first replication, flush and high-watermark move past it
//     per broker; truncations that cut it; the ingesters' starts, replays,
//     readiness and the apply of its offset;
//   - crashes, restarts, fencing and faults of the nodes that held the record
//     or consume its partition;
//   - for a lost record, the last apply of its partition in each zone of the
//     violation, however early: where that zone's ingester stopped.
// For a record of a classic log it also follows which brokers held it (an
// append or a fetch past it adds a broker; a truncation below it, a recovery
// that ends before it, or a crash before a flush covered it removes one) and
// names the last moment the loss could still have been avoided: the instant
// before the event that removed the last broker holding it (brokers that lost
// it in one crash are named together). When the log kept the record but a
// zone never applied it, that zone had applied another record at the same
// offset, which the log lost and whose offset it gave again: the story then
// follows that earlier record's holders.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "weir/properties/violation.h"
#include "weir/replay/timeline.h"
#include "weir/replay/trace_file.h"

namespace weir::replay {

// A record the distributor produced for the violation's write.
struct StoryRecord {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::uint64_t digest = 0;
  std::int64_t acked_ns = 0;
  bool lost = false;  // some zone of the violation never applied it
};

struct StoryEvent {
  std::uint64_t index = 0;  // in TraceFile::events
  std::string why;          // what ties it to the violation, e.g. "partition 3"
};

struct LastAvoidable {
  std::int64_t time_ns = 0;  // the loss happened at this instant; any earlier was still in time
  std::uint64_t event = 0;   // the event that removed the last holder
  std::string what;          // one sentence
};

struct Story {
  properties::Violation violation;
  std::vector<StoryRecord> records;
  std::vector<StoryEvent> events;  // time order
  std::optional<LastAvoidable> last_avoidable;
  std::int64_t from_ns = 0;  // the window the story spans, for a timeline
  std::int64_t to_ns = 0;
};

class Explainer {
 public:
  explicit Explainer(const TraceFile& file);

  Story explain(const properties::Violation& violation) const;
  // The story as lines for people: the violation, its evidence, its records,
  // its events (timeline lines), and the last avoidable moment.
  std::vector<std::string> lines(const Story& story) const;
  // The `limit` events of the story nearest to its evidence: the first and
  // the last, those that removed holders, then faults and crashes.
  std::vector<StoryEvent> highlights(const Story& story, std::size_t limit) const;
  const Timeline& timeline() const { return timeline_; }

 private:
  struct Focus;
  // Progress kinds already shown, by (kind, node, partition).
  using Reached = std::set<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>>;
  Focus focus_of(const properties::Violation& violation, const std::vector<StoryRecord>& records) const;
  std::vector<StoryRecord> records_of(const properties::Violation& violation) const;
  std::optional<std::string> relevance(const RecordedEvent& event, const Focus& focus) const;
  std::optional<std::string> first_past(const RecordedEvent& event, const Focus& focus, Reached& reached) const;
  std::vector<std::string> zones_of(const properties::Violation& violation) const;
  void add_where_stopped(const StoryRecord& record, const std::vector<std::string>& zones, std::int64_t until_ns,
                         Story& story) const;
  bool appends(const RecordedEvent& event, std::int64_t partition, std::int64_t offset) const;
  std::optional<std::uint64_t> first_append(std::int64_t partition, std::int64_t offset) const;
  std::optional<std::uint64_t> append_before(std::int64_t partition, std::int64_t offset, std::int64_t time_ns) const;
  std::optional<LastAvoidable> holders_lost(std::int64_t partition, std::int64_t offset, std::uint64_t start) const;
  std::optional<LastAvoidable> last_avoidable(const StoryRecord& record, const std::vector<std::string>& zones) const;

  const TraceFile& file_;
  Timeline timeline_;
};

}  // namespace weir::replay
