// Property 2: per (zone, partition), replay covers the log with no hole.
#include "weir/properties/checks/check_gapless_replay.h"

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "ingester_timeline.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_offsets;
using detail::format_time;

// Walks one ingester's events in order, checking restarts, skips and commits.
class IngesterReplay {
 public:
  IngesterReplay(const detail::ZonePartition& key, std::optional<LogBounds> bounds,
                 detail::ViolationSink& sink)
      : where_(fmt::format("zone {} partition {}", key.first, key.second)),
        bounds_(bounds),
        sink_(sink) {}

  void on(const IngesterEvent& event) {
    switch (event.kind) {
      case IngesterEventKind::restarted: on_restart(event); break;
      case IngesterEventKind::applied: on_applied(event); break;
      case IngesterEventKind::committed: on_committed(event); break;
      case IngesterEventKind::commit_attempted: on_commit_attempted(event); break;
    }
  }

  // Offsets never applied inside the log [start, end).
  void check_coverage() const {
    if (!bounds_) return;
    Offset next = bounds_->start_offset;
    for (const Offset offset : applied_) {
      if (offset >= bounds_->end_offset) break;
      if (offset > next) report_hole(next, offset - 1);
      next = std::max(next, offset + 1);
    }
    if (next < bounds_->end_offset) report_hole(next, bounds_->end_offset - 1);
  }

 private:
  void on_restart(const IngesterEvent& event) {
    const std::optional<Offset> expected =
        committed_ ? std::optional<Offset>(committed_->offset + 1)
                   : (bounds_ ? std::optional<Offset>(bounds_->start_offset) : std::nullopt);
    // A failed commit may have been stored anyway: resuming after it is fine.
    const bool after_ambiguous_commit = ambiguous_commit_ && event.offset == *ambiguous_commit_ + 1;
    if (expected && event.offset != *expected && !after_ambiguous_commit) {
      const std::string why =
          committed_ ? fmt::format("committed offset {} at {} + 1", committed_->offset,
                                   format_time(committed_->at))
                     : fmt::format("nothing committed: log start offset {}", *expected);
      sink_.add(fmt::format("{}: restart at {} resumed at offset {}, expected {} ({})", where_,
                            format_time(event.at), event.offset, *expected, why));
    }
    session_start_ = &event;
    next_ = event.offset;
    if (after_ambiguous_commit) ambiguous_commit_.reset();
  }

  void on_commit_attempted(const IngesterEvent& event) {
    if (!committed_ || event.offset > committed_->offset) ambiguous_commit_ = event.offset;
  }

  void on_applied(const IngesterEvent& event) {
    if (next_ && event.offset > *next_) {
      const std::string since =
          session_start_ ? fmt::format("since the restart at {} (resumed at offset {})",
                                       format_time(session_start_->at), session_start_->offset)
                         : std::string("since the first start");
      sink_.add(fmt::format("{}: applied offset {} at {}, skipping offsets {} {}", where_,
                            event.offset, format_time(event.at),
                            format_offsets(*next_, event.offset - 1), since));
    }
    next_ = std::max(next_.value_or(event.offset + 1), event.offset + 1);
    applied_.insert(event.offset);
  }

  void on_committed(const IngesterEvent& event) {
    if (committed_ && event.offset < committed_->offset) {
      sink_.add(fmt::format("{}: committed offset {} at {} after committing offset {} at {} (went backwards)",
                            where_, event.offset, format_time(event.at), committed_->offset,
                            format_time(committed_->at)));
    }
    if (!applied_.contains(event.offset)) {
      const std::string highest =
          applied_.empty() ? std::string("nothing applied")
                           : fmt::format("highest applied: {}", *applied_.rbegin());
      sink_.add(fmt::format("{}: committed offset {} at {} before applying it ({})", where_,
                            event.offset, format_time(event.at), highest));
    }
    committed_ = &event;
    if (ambiguous_commit_ && *ambiguous_commit_ <= event.offset) ambiguous_commit_.reset();
  }

  void report_hole(Offset first, Offset last) const {
    sink_.add(fmt::format("{}: offsets {} of the log [{}, {}) were never applied", where_,
                          format_offsets(first, last), bounds_->start_offset,
                          bounds_->end_offset));
  }

  std::string where_;
  std::optional<LogBounds> bounds_;
  detail::ViolationSink& sink_;
  const IngesterEvent* committed_ = nullptr;
  std::optional<Offset> ambiguous_commit_;  // the newest failed commit after committed_
  const IngesterEvent* session_start_ = nullptr;
  std::optional<Offset> next_;  // the offset the current run should apply next
  std::set<Offset> applied_;
};

std::optional<LogBounds> find_bounds(const std::map<PartitionId, LogBounds>& all,
                                     PartitionId partition) {
  const auto it = all.find(partition);
  return it == all.end() ? std::nullopt : std::optional<LogBounds>(it->second);
}

}  // namespace

PropertyResult check_gapless_replay(const History& history, const CheckOptions& options) {
  detail::ViolationSink sink(property_id::gapless_replay, options.max_violations_per_property);
  auto groups = detail::events_by_zone_partition(history);
  const auto bounds = detail::log_bounds_by_partition(history);
  // An ingester zone with no event at all for a partition of the log missed all of it.
  std::set<std::string> zones;
  for (const auto& [key, events] : groups) zones.insert(key.first);
  for (const auto& zone : zones) {
    for (const auto& [partition, b] : bounds) groups[{zone, partition}];
  }
  for (const auto& [key, events] : groups) {
    IngesterReplay replay(key, find_bounds(bounds, key.second), sink);
    for (const IngesterEvent* event : events) {
      if (event->kind == IngesterEventKind::applied) sink.judged();
      replay.on(*event);
    }
    replay.check_coverage();
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
