#include "weir/replay/explain.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

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
}  // namespace kind

// Kinds that say "this far" with one offset or log end, of which the story
// keeps only the first event per node that reaches past the record.
bool is_progress(std::string_view name) {
  return name == kind::replicated || name == kind::flushed || name == kind::high_watermark ||
         name == kind::committed || name == kind::consumer_commit;
}

bool is_node_event(std::string_view name) {
  return name == kind::node_crash || name == kind::node_start || name == kind::fault_applied ||
         name == kind::fault_healed || name == kind::fenced || name == kind::unfenced;
}

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
  std::set<std::string> zones(e.zones.begin(), e.zones.end());
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

Explainer::Focus Explainer::focus_of(const properties::Violation& violation) const {
  const properties::Evidence& e = violation.evidence;
  Focus focus;
  if (e.write) focus.write = static_cast<std::int64_t>(*e.write);
  if (e.read) focus.read = static_cast<std::int64_t>(*e.read);
  if (e.partition) {
    auto& offsets = focus.offsets[*e.partition];
    if (e.offset) offsets.insert(*e.offset);
  }
  for (const StoryRecord& record : records_of(violation)) focus.offsets[record.partition].insert(record.offset);
  focus.from_ns = e.from_ns.value_or(0);
  focus.to_ns = e.to_ns.value_or(file_.events.empty() ? 0 : file_.events.back().time_ns);
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
  if (focus.write && text.number(event, "write") == focus.write) return fmt::format("write #{}", *focus.write);
  if (focus.read && text.number(event, "read") == focus.read) return fmt::format("read #{}", *focus.read);
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
  if (name == kind::applied) {
    const auto offset = text.number(event, "offset");
    if (offset && offsets.contains(*offset)) return fmt::format("{} offset {}", where, *offset);
    return std::nullopt;
  }
  if (is_progress(name)) return std::nullopt;  // explain() keeps the first past the record
  // Elections, ISR changes, recoveries, an ingester's start, replay and
  // readiness: who leads and where each replica and ingester stands.
  return where;
}

Story Explainer::explain(const properties::Violation& violation) const {
  Story story;
  story.violation = violation;
  story.records = records_of(violation);
  const Focus focus = focus_of(violation);
  story.from_ns = focus.from_ns;
  story.to_ns = focus.to_ns;
  const EventText& text = timeline_.text();
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> reached;  // (kind, node, partition)
  for (std::uint64_t i = 0; i < file_.events.size(); ++i) {
    const RecordedEvent& event = file_.events[i];
    if (!file_.is_domain(event) || event.time_ns < focus.from_ns || event.time_ns > focus.to_ns) continue;
    if (is_progress(file_.kind_name(event))) {
      const auto partition = text.number(event, "partition");
      const auto value = text.number(event, "end") ? text.number(event, "end") : text.number(event, "offset");
      const auto it = partition ? focus.offsets.find(*partition) : focus.offsets.end();
      if (it == focus.offsets.end() || it->second.empty() || !value) continue;
      const bool passes = *value > *it->second.begin();
      if (passes && reached.emplace(event.kind, event.node, *partition).second) {
        story.events.push_back({i, fmt::format("partition {} past offset {}", *partition, *it->second.begin())});
      }
      continue;
    }
    if (auto why = relevance(event, focus)) story.events.push_back({i, std::move(*why)});
  }
  for (const StoryRecord& record : story.records) {
    if (!record.lost) continue;
    auto last = last_avoidable(record);
    if (last && (!story.last_avoidable || last->time_ns > story.last_avoidable->time_ns)) story.last_avoidable = last;
  }
  return story;
}

// Follows which brokers hold `record` (see the header) until none does.
std::optional<LastAvoidable> Explainer::last_avoidable(const StoryRecord& record) const {
  const EventText& text = timeline_.text();
  struct Holder {
    bool flushed = false;
  };
  std::map<std::uint32_t, Holder> holders;
  std::map<std::uint32_t, std::uint64_t> last_crash;  // event index, by node
  std::optional<std::int64_t> leader;
  std::optional<LastAvoidable> loss;  // the latest removal so far
  const auto remove = [&](std::uint32_t node, std::uint64_t index, std::string what) {
    if (holders.erase(node) == 0) return false;
    const std::int64_t at = file_.events[index].time_ns;
    if (!loss || at >= loss->time_ns) loss = LastAvoidable{at, index, std::move(what)};
    return holders.empty();
  };
  for (std::uint64_t i = 0; i < file_.events.size(); ++i) {
    const RecordedEvent& event = file_.events[i];
    const std::string_view name = file_.kind_name(event);
    if (name == kind::node_crash) {
      last_crash[event.node] = i;
      continue;
    }
    if (text.number(event, "partition") != record.partition) continue;
    const std::string node = node_label(file_, event.node);
    if (name == kind::leader_elected) {
      leader = text.number(event, "leader");
    } else if (name == kind::appended) {
      const auto first = text.number(event, "first").value_or(-1);
      const auto last = text.number(event, "last").value_or(-1);
      if (record.offset < first || record.offset > last) continue;
      if (event.time_ns <= record.acked_ns) {
        holders[event.node] = {};
      } else if (remove(event.node, i, fmt::format("{} appended another record at offset {}", node, record.offset))) {
        return loss;
      }
    } else if (name == kind::replicated) {
      const bool from_holder = leader && *leader >= 0 && holders.contains(static_cast<std::uint32_t>(*leader));
      if (from_holder && text.number(event, "end").value_or(0) > record.offset) holders.try_emplace(event.node);
    } else if (name == kind::flushed) {
      const auto it = holders.find(event.node);
      if (it != holders.end() && text.number(event, "end").value_or(0) > record.offset) it->second.flushed = true;
    } else if (name == kind::truncated) {
      const auto end = text.number(event, "end").value_or(0);
      if (end > record.offset) continue;
      if (remove(event.node, i, fmt::format("{} truncated partition {} to log end {}, cutting offset {}", node,
                                            record.partition, end, record.offset))) {
        return loss;
      }
    } else if (name == kind::recovered) {
      const auto end = text.number(event, "end").value_or(0);
      if (end > record.offset || !holders.contains(event.node)) continue;
      // The page cache held it and the crash took it: the loss is the crash.
      const auto crash = last_crash.find(event.node);
      const std::uint64_t at = crash == last_crash.end() ? i : crash->second;
      if (remove(event.node, at,
                 fmt::format("{} crashed before a flush covered partition {} offset {} (it recovered with log end {})",
                             node, record.partition, record.offset, end))) {
        return loss;
      }
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

std::vector<StoryEvent> Explainer::highlights(const Story& story, std::size_t limit) const {
  const auto rank = [&](const StoryEvent& e) {
    const std::string_view name = file_.kind_name(file_.events[e.index]);
    if (story.last_avoidable && e.index == story.last_avoidable->event) return 0;
    if (name == kind::truncated || name == kind::recovered || name == kind::node_crash) return 1;
    if (name == kind::fault_applied || name == kind::leader_elected) return 2;
    if (name == kind::log_ack || name == kind::appended) return 3;
    if (name == kind::applied || name == "mimir.ingester.started") return 4;
    return 5;
  };
  std::vector<StoryEvent> ranked = story.events;
  std::stable_sort(ranked.begin(), ranked.end(), [&](const StoryEvent& a, const StoryEvent& b) { return rank(a) < rank(b); });
  if (ranked.size() > limit) ranked.resize(limit);
  std::sort(ranked.begin(), ranked.end(), [](const StoryEvent& a, const StoryEvent& b) { return a.index < b.index; });
  return ranked;
}

}  // namespace weir::replay
