#include "weir/replay/explain.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "weir/sim/trace.h"

namespace weir::replay {
namespace {

// The domain kinds the story reads, by name (the models declare them).
namespace kind {
constexpr std::string_view log_ack = "mimir.distributor.log_ack";
constexpr std::string_view applied = "mimir.ingester.applied";
constexpr std::string_view appended = "kafka.classic.appended";
constexpr std::string_view replicated = "kafka.classic.replicated";
constexpr std::string_view flushed = "kafka.classic.flushed";
constexpr std::string_view truncated = "kafka.classic.truncated";
constexpr std::string_view recovered = "kafka.classic.log_recovered";
constexpr std::string_view high_watermark = "kafka.classic.high_watermark";
constexpr std::string_view leader_elected = "kafka.classic.leader_elected";
constexpr std::string_view committed = "mimir.ingester.committed";
constexpr std::string_view consumer_commit = "kafka.consumer.commit";
constexpr std::string_view node_crash = "node.crash";
constexpr std::string_view node_start = "node.start";
constexpr std::string_view fault_applied = "fault.applied";
constexpr std::string_view fault_healed = "fault.healed";
constexpr std::string_view healed_all = "fault.healed_all";
constexpr std::string_view fenced = "kafka.classic.broker_fenced";
constexpr std::string_view unfenced = "kafka.classic.broker_unfenced";
constexpr std::string_view isr_changed = "kafka.classic.isr_changed";
constexpr std::string_view ack_unknown_offset = "diskless.ack_unknown_offset";
constexpr std::string_view ingester_started = "mimir.ingester.started";
constexpr std::string_view ingester_ready = "mimir.ingester.ready";
constexpr std::string_view wal_replayed = "mimir.ingester.wal_replayed";
constexpr std::string_view activated = "mimir.partition_ring.activated";
}  // namespace kind

// Kinds that say "this far" with one offset or log end, of which the story
// keeps only the first event per node that reaches past the record.
bool is_progress(std::string_view name) {
  return name == kind::replicated || name == kind::flushed || name == kind::high_watermark ||
         name == kind::committed || name == kind::consumer_commit;
}

// Kinds about a partition as a whole (who leads it, where a replica or an
// ingester of it stands), kept whatever the offsets.
bool is_partition_state(std::string_view name) {
  return name == kind::leader_elected || name == kind::isr_changed || name == kind::recovered ||
         name == kind::ack_unknown_offset || name == kind::ingester_started || name == kind::ingester_ready ||
         name == kind::wal_replayed || name == kind::activated;
}

bool is_node_event(std::string_view name) {
  return name == kind::node_crash || name == kind::node_start || name == kind::fault_applied ||
         name == kind::fault_healed || name == kind::fenced || name == kind::unfenced;
}

// How long before (and after) the evidence of a violation without a write
// its records were produced (and sequenced and consumed).
constexpr std::int64_t kProduceWindowNs = 1'000'000'000;

std::string seconds(std::int64_t ns) { return fmt::format("{}.{:06}s", ns / 1'000'000'000, ns % 1'000'000'000 / 1000); }

}  // namespace

// What the story follows: the write, the read, the records' partitions and
// offsets, the nodes that held or consumed them, and the time window.
struct Explainer::Focus {
  std::optional<std::int64_t> write;
  std::optional<std::int64_t> read;
  std::map<std::int64_t, std::set<std::int64_t>> offsets;  // by partition
  std::set<std::uint32_t> nodes;
  std::int64_t from_ns = 0;
  std::int64_t to_ns = 0;
};

Explainer::Explainer(const TraceFile& file) : file_(file), timeline_(file, {}) {}

std::vector<std::string> Explainer::zones_of(const properties::Violation& violation) const {
  if (!violation.evidence.zones.empty()) return violation.evidence.zones;
  std::set<std::string> zones;
  for (const RecordedEvent& event : file_.events) {
    if (file_.kind_name(event) == kind::applied) zones.insert(node_zone(file_, event.node));
  }
  return {zones.begin(), zones.end()};
}

std::vector<StoryRecord> Explainer::records_of(const properties::Violation& violation) const {
  const properties::Evidence& e = violation.evidence;
  const EventText& text = timeline_.text();
  std::vector<StoryRecord> records;
  for (const RecordedEvent& event : file_.events) {
    if (file_.kind_name(event) != kind::log_ack) continue;
    const auto partition = text.number(event, "partition");
    const auto offset = text.number(event, "offset");
    if (!partition || !offset) continue;
    const bool of_write = e.write && text.number(event, "write") == static_cast<std::int64_t>(*e.write);
    const bool at_offset = !e.write && e.partition == *partition && e.offset == *offset;
    if (!of_write && !at_offset) continue;
    const auto digest = text.number(event, "record").value_or(0);
    records.push_back(StoryRecord{static_cast<std::int32_t>(*partition), *offset, static_cast<std::uint64_t>(digest),
                                  event.time_ns, false});
  }
  // A zone of the violation that never applied a record lost it.
  const std::vector<std::string> zones = zones_of(violation);
  std::map<std::pair<std::int64_t, std::uint64_t>, std::set<std::string>> applied_in;
  for (const RecordedEvent& event : file_.events) {
    if (file_.kind_name(event) != kind::applied) continue;
    const auto partition = text.number(event, "partition");
    const auto digest = text.number(event, "record");
    if (!partition || !digest) continue;
    applied_in[{*partition, static_cast<std::uint64_t>(*digest)}].insert(node_zone(file_, event.node));
  }
  for (StoryRecord& record : records) {
    const auto& applied = applied_in[{record.partition, record.digest}];
    record.lost = std::any_of(zones.begin(), zones.end(), [&](const std::string& z) { return !applied.contains(z); });
  }
  // For a lost sample, only the lost records matter (a write spans partitions).
  const bool any_lost = std::any_of(records.begin(), records.end(), [](const StoryRecord& r) { return r.lost; });
  if (any_lost && violation.property == "no_lost_acked_samples") {
    std::erase_if(records, [](const StoryRecord& r) { return !r.lost; });
  }
  return records;
}

Explainer::Focus Explainer::focus_of(const properties::Violation& violation,
                                     const std::vector<StoryRecord>& records) const {
  const properties::Evidence& e = violation.evidence;
  Focus focus;
  if (e.write) focus.write = static_cast<std::int64_t>(*e.write);
  if (e.read) focus.read = static_cast<std::int64_t>(*e.read);
  if (e.partition) {
    auto& offsets = focus.offsets[*e.partition];
    if (e.offset) offsets.insert(*e.offset);
  }
  for (const StoryRecord& record : records) focus.offsets[record.partition].insert(record.offset);
  // From the write, or earlier: from the first append at a record's offset,
  // which may be another record's that the log later lost. Without a write,
  // a little before the evidence, when the records were produced.
  focus.from_ns = e.from_ns.value_or(0);
  if (!e.write) focus.from_ns = std::max<std::int64_t>(0, focus.from_ns - kProduceWindowNs);
  for (const auto& [partition, offsets] : focus.offsets) {
    for (const std::int64_t offset : offsets) {
      const auto first = first_append(partition, offset);
      if (first) focus.from_ns = std::min(focus.from_ns, file_.events[*first].time_ns);
    }
  }
  focus.to_ns = e.to_ns.value_or(file_.events.empty() ? 0 : file_.events.back().time_ns);
  if (!e.write && e.to_ns) focus.to_ns += kProduceWindowNs;  // and when they were sequenced and consumed
  // The nodes that held the records or consume their partitions, at any time.
  const EventText& text = timeline_.text();
  for (const RecordedEvent& event : file_.events) {
    const auto partition = text.number(event, "partition");
    if (!partition || !focus.offsets.contains(*partition) || event.node == sim::kNoNode) continue;
    const std::string_view name = file_.kind_name(event);
    if (name == kind::appended || name == kind::replicated || name == kind::applied || name == kind::recovered ||
        name == kind::committed) {
      focus.nodes.insert(event.node);
    }
    if (name == kind::leader_elected) {
      if (const auto leader = text.number(event, "leader"); leader && *leader >= 0) {
        focus.nodes.insert(static_cast<std::uint32_t>(*leader));
      }
    }
  }
  return focus;
}

// Why an event belongs to the story, or nothing; progress events are
// explain()'s to judge.
std::optional<std::string> Explainer::relevance(const RecordedEvent& event, const Focus& focus) const {
  const EventText& text = timeline_.text();
  // When the story follows a write or a read, another one's events do not
  // belong to it; otherwise they are judged by their partition and offset.
  if (const auto write = text.number(event, "write"); write && focus.write) {
    if (focus.write == write) return fmt::format("write #{}", *write);
    return std::nullopt;
  }
  if (const auto read = text.number(event, "read"); read && focus.read) {
    if (focus.read == read) return fmt::format("read #{}", *read);
    return std::nullopt;
  }
  const std::string_view name = file_.kind_name(event);
  if (name == kind::healed_all) return "faults";
  if (is_node_event(name)) {
    if (focus.nodes.contains(event.node)) return fmt::format("{} holds or reads the record", node_label(file_, event.node));
    return std::nullopt;
  }
  const auto partition = text.number(event, "partition");
  if (!partition) return std::nullopt;
  const auto it = focus.offsets.find(*partition);
  if (it == focus.offsets.end()) return std::nullopt;
  const std::set<std::int64_t>& offsets = it->second;
  const std::string where = fmt::format("partition {}", *partition);
  if (offsets.empty()) return where;  // the violation names the partition, no offset
  const auto first = text.number(event, "first");
  const auto last = text.number(event, "last");
  if (first && last) {
    const auto hit = offsets.lower_bound(*first);
    if (hit != offsets.end() && *hit <= *last) return fmt::format("{} offset {}", where, *hit);
    return std::nullopt;
  }
  if (name == kind::truncated) {
    const auto end = text.number(event, "end").value_or(0);
    const auto old_end = text.number(event, "old_end").value_or(0);
    const auto hit = offsets.lower_bound(end);
    if (hit != offsets.end() && *hit < old_end) return fmt::format("{} offset {} cut", where, *hit);
    return std::nullopt;
  }
  if (is_partition_state(name)) return where;
  if (is_progress(name)) return std::nullopt;  // explain() keeps the first past the record
  if (const auto offset = text.number(event, "offset")) {
    // An ack, an apply, a query waiting at the record's offset.
    if (offsets.contains(*offset)) return fmt::format("{} offset {}", where, *offset);
  }
  // The rest (a produce sent or retried) names no offset of the record.
  return std::nullopt;
}

// A progress event (a fetch, flush, high watermark or commit) belongs to the
// story the first time, per node, it passes the partition's first record.
std::optional<std::string> Explainer::first_past(const RecordedEvent& event, const Focus& focus,
                                                 Reached& reached) const {
  const EventText& text = timeline_.text();
  const auto partition = text.number(event, "partition");
  const auto value = text.number(event, "end") ? text.number(event, "end") : text.number(event, "offset");
  const auto it = partition ? focus.offsets.find(*partition) : focus.offsets.end();
  if (it == focus.offsets.end() || it->second.empty() || !value) return std::nullopt;
  const std::int64_t offset = *it->second.begin();
  if (*value <= offset || !reached.emplace(event.kind, event.node, *partition).second) return std::nullopt;
  return fmt::format("partition {} past offset {}", *partition, offset);
}

Story Explainer::explain(const properties::Violation& violation) const {
  Story story;
  story.violation = violation;
  story.records = records_of(violation);
  const Focus focus = focus_of(violation, story.records);
  story.from_ns = focus.from_ns;
  story.to_ns = focus.to_ns;
  const EventText& text = timeline_.text();
  Reached reached;
  for (std::uint64_t i = 0; i < file_.events.size(); ++i) {
    const RecordedEvent& event = file_.events[i];
    if (!file_.is_domain(event) || event.time_ns < focus.from_ns || event.time_ns > focus.to_ns) continue;
    // A new record at a record's offset: progress past it counts again.
    if (file_.kind_name(event) == kind::appended && relevance(event, focus)) {
      const auto partition = text.number(event, "partition");
      std::erase_if(reached, [&](const auto& r) { return std::get<2>(r) == partition; });
    }
    auto why = is_progress(file_.kind_name(event)) ? first_past(event, focus, reached) : relevance(event, focus);
    if (why) story.events.push_back({i, std::move(*why)});
  }
  const std::vector<std::string> zones = zones_of(violation);
  for (const StoryRecord& record : story.records) {
    if (!record.lost) continue;
    add_where_stopped(record, zones, focus.to_ns, story);
    auto last = last_avoidable(record, zones);
    if (last && (!story.last_avoidable || last->time_ns > story.last_avoidable->time_ns)) story.last_avoidable = last;
  }
  std::sort(story.events.begin(), story.events.end(),
            [](const StoryEvent& a, const StoryEvent& b) { return a.index < b.index; });
  story.events.erase(std::unique(story.events.begin(), story.events.end(),
                                 [](const StoryEvent& a, const StoryEvent& b) { return a.index == b.index; }),
                     story.events.end());
  return story;
}

// Where each zone's ingester of a lost record's partition stood: its last
// apply there before the story's end, which may be long before the write.
void Explainer::add_where_stopped(const StoryRecord& record, const std::vector<std::string>& zones,
                                  std::int64_t until_ns, Story& story) const {
  const EventText& text = timeline_.text();
  std::map<std::string, std::uint64_t> last_apply;  // by zone
  for (std::uint64_t i = 0; i < file_.events.size() && file_.events[i].time_ns <= until_ns; ++i) {
    const RecordedEvent& event = file_.events[i];
    if (file_.kind_name(event) != kind::applied || text.number(event, "partition") != record.partition) continue;
    last_apply[node_zone(file_, event.node)] = i;
  }
  for (const std::string& zone : zones) {
    const auto it = last_apply.find(zone);
    if (it == last_apply.end()) continue;
    story.events.push_back({it->second, fmt::format("the last apply of partition {} in {}", record.partition, zone)});
  }
}

// Whether `event` is a leader's append of `partition` covering `offset`.
bool Explainer::appends(const RecordedEvent& event, std::int64_t partition, std::int64_t offset) const {
  const EventText& text = timeline_.text();
  return file_.kind_name(event) == kind::appended && text.number(event, "partition") == partition &&
         text.number(event, "first") <= offset && offset <= text.number(event, "last");
}

std::optional<std::uint64_t> Explainer::first_append(std::int64_t partition, std::int64_t offset) const {
  for (std::uint64_t i = 0; i < file_.events.size(); ++i) {
    if (appends(file_.events[i], partition, offset)) return i;
  }
  return std::nullopt;
}

// The last leader append that covered `offset` of `partition` before `time_ns`.
std::optional<std::uint64_t> Explainer::append_before(std::int64_t partition, std::int64_t offset,
                                                      std::int64_t time_ns) const {
  std::optional<std::uint64_t> found;
  for (std::uint64_t i = 0; i < file_.events.size() && file_.events[i].time_ns <= time_ns; ++i) {
    if (appends(file_.events[i], partition, offset)) found = i;
  }
  return found;
}

// From the append at `start`, follows which brokers hold that record (see
// the header) until none does; returns the removal of the last one.
std::optional<LastAvoidable> Explainer::holders_lost(std::int64_t partition, std::int64_t offset,
                                                     std::uint64_t start) const {
  const EventText& text = timeline_.text();
  std::map<std::uint32_t, bool> holders{{file_.events[start].node, false}};  // node -> flushed
  std::map<std::uint32_t, std::uint64_t> last_crash;                       // event index, by node
  std::optional<std::int64_t> leader = file_.events[start].node;
  std::optional<LastAvoidable> loss;  // the latest removal so far
  std::map<std::int64_t, std::vector<std::string>> lost_in_crash;  // holders, by the crash's time
  const auto removed_last = [&](std::uint32_t node, std::uint64_t index, std::string what) {
    if (holders.erase(node) == 0) return false;
    const std::int64_t at = file_.events[index].time_ns;
    if (!loss || at >= loss->time_ns) loss = LastAvoidable{at, index, std::move(what)};
    return holders.empty();
  };
  for (std::uint64_t i = start + 1; i < file_.events.size(); ++i) {
    const RecordedEvent& event = file_.events[i];
    const std::string_view name = file_.kind_name(event);
    if (name == kind::node_crash) last_crash[event.node] = i;
    if (text.number(event, "partition") != partition) continue;
    const std::string node = node_label(file_, event.node);
    if (name == kind::leader_elected) {
      leader = text.number(event, "leader");
    } else if (name == kind::appended) {
      if (!appends(event, partition, offset)) continue;
      if (removed_last(event.node, i, fmt::format("{} appended another record at offset {}", node, offset))) {
        return loss;
      }
    } else if (name == kind::replicated) {
      const bool from_holder = leader && *leader >= 0 && holders.contains(static_cast<std::uint32_t>(*leader));
      if (from_holder && text.number(event, "end").value_or(0) > offset) holders.try_emplace(event.node, false);
    } else if (name == kind::flushed) {
      const auto it = holders.find(event.node);
      if (it != holders.end() && text.number(event, "end").value_or(0) > offset) it->second = true;
    } else if (name == kind::truncated) {
      const auto end = text.number(event, "end").value_or(0);
      if (end > offset) continue;
      if (removed_last(event.node, i, fmt::format("{} truncated partition {} to log end {}, cutting offset {}", node,
                                                  partition, end, offset))) {
        return loss;
      }
    } else if (name == kind::recovered) {
      const auto end = text.number(event, "end").value_or(0);
      if (end > offset) continue;
      // The page cache held it and the crash took it: the loss is the crash.
      const auto crash = last_crash.find(event.node);
      const std::uint64_t at = crash == last_crash.end() ? i : crash->second;
      if (!holders.contains(event.node)) continue;
      auto& together = lost_in_crash[file_.events[at].time_ns];
      together.push_back(node);
      const std::string what =
          together.size() == 1
              ? fmt::format("{} crashed before a flush covered partition {} offset {} (it recovered with log end {})",
                            node, partition, offset, end)
              : fmt::format("{} crashed at the same instant, before a flush covered partition {} offset {} on any "
                            "of them",
                            fmt::join(together, ", "), partition, offset);
      if (removed_last(event.node, at, what)) return loss;
    }
  }
  return std::nullopt;
}

std::optional<LastAvoidable> Explainer::last_avoidable(const StoryRecord& record,
                                                       const std::vector<std::string>& zones) const {
  if (const auto append = append_before(record.partition, record.offset, record.acked_ns)) {
    if (auto lost = holders_lost(record.partition, record.offset, *append)) return lost;
  }
  // The log kept it, yet a zone never applied it: that zone had applied
  // another record at its offset, which the log then lost and reused.
  const EventText& text = timeline_.text();
  for (const RecordedEvent& event : file_.events) {
    if (event.time_ns >= record.acked_ns) break;
    if (file_.kind_name(event) != kind::applied || text.number(event, "partition") != record.partition ||
        text.number(event, "offset") != record.offset) {
      continue;
    }
    const std::string zone = node_zone(file_, event.node);
    if (std::find(zones.begin(), zones.end(), zone) == zones.end()) continue;
    const auto applied = static_cast<std::uint64_t>(text.number(event, "record").value_or(0));
    if (applied == record.digest) continue;
    const auto append = append_before(record.partition, record.offset, event.time_ns);
    if (!append) continue;
    if (auto lost = holders_lost(record.partition, record.offset, *append)) {
      lost->what = fmt::format("{}; {} had applied that earlier record {:016x} at {}, so it never applied the record "
                               "that reused offset {}",
                               lost->what, zone, applied, seconds(event.time_ns), record.offset);
      return lost;
    }
  }
  return std::nullopt;
}

std::vector<std::string> Explainer::lines(const Story& story) const {
  std::vector<std::string> out;
  const properties::Violation& v = story.violation;
  out.push_back(fmt::format("violation {}: {}", v.property, v.message));
  for (const StoryRecord& r : story.records) {
    out.push_back(fmt::format("record {:016x}: partition {} offset {}, acked {}{}", r.digest, r.partition, r.offset,
                              seconds(r.acked_ns), r.lost ? ", never applied in a zone of the violation" : ""));
  }
  out.push_back(fmt::format("story: {} events from {} to {}", story.events.size(), seconds(story.from_ns),
                            seconds(story.to_ns)));
  for (const StoryEvent& e : story.events) out.push_back("  " + timeline_.line(file_.events[e.index]));
  if (story.last_avoidable) {
    const LastAvoidable& last = *story.last_avoidable;
    out.push_back(fmt::format("last avoidable moment: just before {}: {}", seconds(last.time_ns), last.what));
  } else {
    out.push_back("last avoidable moment: not computed (no lost record of a replicated log to follow)");
  }
  return out;
}

// Ranked by kind: what removed the record first, then the write's ack and
// the applies, the appends, elections and faults. One event of each kind
// before a second of any, so that a few lines cover the whole story.
std::vector<StoryEvent> Explainer::highlights(const Story& story, std::size_t limit) const {
  const auto rank = [&](const StoryEvent& e) {
    const std::string_view name = file_.kind_name(file_.events[e.index]);
    if (story.last_avoidable && e.index == story.last_avoidable->event) return 0;
    if (name == kind::truncated || name == kind::recovered || name == kind::node_crash) return 1;
    if (name == kind::log_ack || name == kind::applied) return 2;
    if (name == kind::appended || name == kind::leader_elected) return 3;
    if (name == kind::fault_applied || name == kind::ingester_started) return 4;
    return 5;
  };
  std::vector<StoryEvent> ranked = story.events;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const StoryEvent& a, const StoryEvent& b) { return rank(a) < rank(b); });
  std::vector<StoryEvent> chosen;
  std::vector<bool> taken(ranked.size(), false);
  std::set<std::uint32_t> kinds_shown;
  for (std::size_t i = 0; i < ranked.size() && chosen.size() < limit; ++i) {
    if (kinds_shown.insert(file_.events[ranked[i].index].kind).second) {
      chosen.push_back(ranked[i]);
      taken[i] = true;
    }
  }
  for (std::size_t i = 0; i < ranked.size() && chosen.size() < limit; ++i) {
    if (!taken[i]) chosen.push_back(ranked[i]);
  }
  std::sort(chosen.begin(), chosen.end(), [](const StoryEvent& a, const StoryEvent& b) { return a.index < b.index; });
  return chosen;
}

}  // namespace weir::replay
