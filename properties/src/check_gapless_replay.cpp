// Property 2: per (zone, partition), replay covers the log with no hole. The
// same walk judges property 9 (exact resume, check_exact_resume.cpp).
#include "weir/properties/checks/check_gapless_replay.h"

#include <algorithm>
#include <set>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "ingester_timeline.h"
#include "replay_walk.h"
#include "resume_points.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_offsets;
using detail::format_time;
using detail::ResumePoints;

// Where a restart with nothing committed must resume: the log start offset,
// known only while it never moved. Retention moves it (the bounds hold the
// final start, above 0); a restart then resumed at the start of its time,
// which the history does not hold, so such a restart is not judged.
std::optional<Offset> start_if_fixed(const std::optional<LogBounds>& bounds) {
  if (!bounds || bounds->start_offset != 0) return std::nullopt;
  return bounds->start_offset;
}

// Walks one ingester's events in order, checking restarts, skips and commits.
class IngesterReplay {
 public:
  IngesterReplay(const detail::ZonePartition& key, std::optional<LogBounds> bounds,
                 detail::ViolationSink& gapless, detail::ViolationSink& exact)
      : key_(key),
        where_(fmt::format("zone {} partition {}", key.first, key.second)),
        bounds_(bounds),
        resume_(start_if_fixed(bounds)),
        gapless_(gapless),
        exact_(exact) {}

  void on(const IngesterEvent& event) {
    switch (event.kind) {
      case IngesterEventKind::restarted: on_restart(event); break;
      case IngesterEventKind::applied: on_applied(event); break;
      case IngesterEventKind::committed: on_committed(event); break;
      case IngesterEventKind::commit_attempted: resume_.attempted(event); break;
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
    judge_resume(event);
    resume_.resumed(event);
    session_start_ = &event;
    next_ = event.offset;
  }

  void judge_resume(const IngesterEvent& event) {
    const ResumePoints::Judgement judgement = resume_.judge(event.offset);
    if (judgement.verdict == ResumePoints::Verdict::unknown) return;
    exact_.judged();
    const std::string restart =
        fmt::format("{}: restart at {} resumed at offset {}, expected {} ({})", where_,
                    format_time(event.at), event.offset, resume_.expected(), resume_.why());
    const std::string offsets = format_offsets(judgement.first, judgement.last);
    const SimTime since = session_start_ != nullptr ? session_start_->at : event.at;
    const Evidence evidence = detail::at_ingester(key_.first, key_.second, judgement.first, since, event.at);
    if (judgement.verdict == ResumePoints::Verdict::skips) {
      gapless_.add(fmt::format("{}: skips offsets {}", restart, offsets), evidence);
    } else if (judgement.verdict == ResumePoints::Verdict::reapplies) {
      // Mimir resumes exactly; the head takes the replayed records as identical duplicates.
      exact_.add(fmt::format("{}: re-applies committed offsets {}", restart, offsets), evidence);
    }
  }

  void on_applied(const IngesterEvent& event) {
    if (next_ && event.offset > *next_) {
      const std::string since =
          session_start_ ? fmt::format("since the restart at {} (resumed at offset {})",
                                       format_time(session_start_->at), session_start_->offset)
                         : std::string("since the first start");
      gapless_.add(fmt::format("{}: applied offset {} at {}, skipping offsets {} {}", where_,
                               event.offset, format_time(event.at),
                               format_offsets(*next_, event.offset - 1), since),
                   detail::at_ingester(key_.first, key_.second, *next_,
                                       session_start_ != nullptr ? session_start_->at : event.at, event.at));
    }
    next_ = std::max(next_.value_or(event.offset + 1), event.offset + 1);
    applied_.insert(event.offset);
  }

  void on_committed(const IngesterEvent& event) {
    if (committed_ && event.offset < committed_->offset) {
      gapless_.add(fmt::format("{}: committed offset {} at {} after committing offset {} at {} (went backwards)",
                               where_, event.offset, format_time(event.at), committed_->offset,
                               format_time(committed_->at)),
                   detail::at_ingester(key_.first, key_.second, event.offset, committed_->at, event.at));
    }
    if (!applied_.contains(event.offset)) {
      const std::string highest =
          applied_.empty() ? std::string("nothing applied")
                           : fmt::format("highest applied: {}", *applied_.rbegin());
      gapless_.add(fmt::format("{}: committed offset {} at {} before applying it ({})", where_,
                               event.offset, format_time(event.at), highest),
                   detail::at_ingester(key_.first, key_.second, event.offset, event.at, event.at));
    }
    committed_ = &event;
    resume_.confirmed(event);
  }

  void report_hole(Offset first, Offset last) const {
    Evidence evidence = detail::at_ingester(key_.first, key_.second, first, 0, 0);
    evidence.from_ns.reset();  // the whole run: no time is more to blame
    evidence.to_ns.reset();
    gapless_.add(fmt::format("{}: offsets {} of the log [{}, {}) were never applied", where_,
                             format_offsets(first, last), bounds_->start_offset,
                             bounds_->end_offset),
                 evidence);
  }

  detail::ZonePartition key_;
  std::string where_;
  std::optional<LogBounds> bounds_;
  ResumePoints resume_;
  detail::ViolationSink& gapless_;
  detail::ViolationSink& exact_;
  const IngesterEvent* committed_ = nullptr;
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

namespace detail {

ReplayFindings walk_replay(const History& history, const CheckOptions& options) {
  ViolationSink gapless(property_id::gapless_replay, options.max_violations_per_property);
  ViolationSink exact(property_id::exact_resume, options.max_violations_per_property);
  auto groups = events_by_zone_partition(history);
  const auto bounds = log_bounds_by_partition(history);
  // An ingester zone with no event at all for a partition of the log missed all of it.
  std::set<std::string> zones;
  for (const auto& [key, events] : groups) zones.insert(key.first);
  for (const auto& zone : zones) {
    for (const auto& [partition, b] : bounds) groups[{zone, partition}];
  }
  for (const auto& [key, events] : groups) {
    IngesterReplay replay(key, find_bounds(bounds, key.second), gapless, exact);
    for (const IngesterEvent* event : events) {
      if (event->kind == IngesterEventKind::applied) gapless.judged();
      replay.on(*event);
    }
    replay.check_coverage();
  }
  return ReplayFindings{std::move(gapless).finish(), std::move(exact).finish()};
}

}  // namespace detail

PropertyResult check_gapless_replay(const History& history, const CheckOptions& options) {
  return detail::walk_replay(history, options).gapless_replay;
}

}  // namespace weir::properties
