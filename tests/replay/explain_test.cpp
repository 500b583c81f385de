// The story of a violation, on a hand-made trace: which events it keeps,
// which records it follows, and the last moment the loss was avoidable.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "weir/replay/explain.h"

namespace {

using weir::replay::RecordedEvent;
using weir::replay::RecordedValue;
using weir::replay::TraceFile;

constexpr std::int64_t kSecond = 1'000'000'000;

// Nodes: three brokers, a distributor, an ingester of partition 0 in zone-a
// and one of partition 1.
enum Node : std::uint32_t { kBroker0, kBroker1, kBroker2, kDistributor, kIngesterA0, kIngesterA1 };

class Builder {
 public:
  Builder() {
    file.node_names = {"kafka-broker-0", "kafka-broker-1", "kafka-broker-2", "distributor-zone-a",
                       "ingester-zone-a-0", "ingester-zone-a-1"};
    file.node_zones = {"zone-a", "zone-b", "zone-c", "zone-a", "zone-a", "zone-a"};
  }

  void add(std::int64_t ns, std::uint32_t node, const std::string& kind, const std::string& text,
           std::vector<std::int64_t> values) {
    std::uint32_t k = 0;
    while (k < file.kinds.size() && file.kinds[k] != kind) ++k;
    if (k == file.kinds.size()) {
      file.kinds.push_back(kind);
      file.kind_texts.push_back(text);
    }
    const auto first = static_cast<std::uint32_t>(file.values.size());
    for (auto v : values) file.values.push_back(RecordedValue{v, -1});
    file.events.push_back(RecordedEvent{ns, node, k, 0, first, static_cast<std::uint32_t>(values.size())});
  }

  TraceFile file;
};

// Write #7 becomes record 0xAB at partition 0 offset 5, acked at 2 s; two
// brokers hold it; broker 1 flushes it, then truncates it after an unclean
// election at 4 s; broker 0 crashed at 3 s before flushing (it recovers at
// 5 s with log end 5). Partition 1 is busy with other records throughout.
TraceFile lost_record() {
  Builder b;
  const std::string elected = "partition {partition}: {leader:node} leads at epoch {epoch} (unclean: {unclean:bool})";
  const std::string appended = "leader appended offsets {first}..{last} of partition {partition} at epoch {epoch}";
  const std::string replicated = "fetched partition {partition} from the leader up to log end {end}";
  const std::string flushed = "partition {partition} flushed to disk up to log end {end}";
  const std::string truncated = "partition {partition} truncated from log end {old_end} to {end}";
  const std::string recovered = "partition {partition} recovered from disk with log end {end}";
  const std::string log_ack = "write #{write}: record {record:hex} for partition {partition} acked at offset {offset}";
  const std::string applied = "applied partition {partition} offset {offset}: {samples} samples, record {record:hex}";
  b.add(1 * kSecond, kBroker0, "kafka.classic.leader_elected", elected, {0, kBroker0, 1, 0});
  b.add(1 * kSecond + 1, kBroker0, "kafka.classic.appended", appended, {3, 6, 0, 1});
  b.add(1 * kSecond + 2, kBroker1, "kafka.classic.replicated", replicated, {0, 7});
  b.add(1 * kSecond + 3, kBroker1, "kafka.classic.replicated", replicated, {0, 8});  // not the first past it
  b.add(1 * kSecond + 4, kBroker2, "kafka.classic.appended", appended, {0, 9, 1, 1});  // partition 1
  b.add(2 * kSecond, kDistributor, "mimir.distributor.log_ack", log_ack, {7, 0xAB, 0, 5});
  b.add(2 * kSecond + 1, kDistributor, "mimir.distributor.log_ack", log_ack, {7, 0xCD, 1, 4});
  b.add(2 * kSecond + 2, kBroker1, "kafka.classic.flushed", flushed, {0, 8});
  b.add(2 * kSecond + 3, kIngesterA1, "mimir.ingester.applied", applied, {1, 4, 10, 0xCD});
  b.add(3 * kSecond, kBroker0, "node.crash", "crashed (incarnation {incarnation})", {1});
  b.add(4 * kSecond, kBroker2, "kafka.classic.leader_elected", elected, {0, kBroker2, 2, 1});
  b.add(4 * kSecond + 1, kBroker1, "kafka.classic.truncated", truncated, {0, 8, 3});
  b.add(5 * kSecond, kBroker0, "kafka.classic.log_recovered", recovered, {0, 5});
  b.add(5 * kSecond + 1, kBroker2, "kafka.classic.appended", appended, {3, 3, 0, 2});  // another record at 3
  b.add(6 * kSecond, kIngesterA0, "mimir.ingester.applied", applied, {0, 3, 10, 0xEE});
  b.file.violations.push_back({"no_lost_acked_samples", "acked write #7 ...", {}});
  weir::properties::Evidence& e = b.file.violations.back().evidence;
  e.write = 7;
  e.zones = {"zone-a"};
  e.from_ns = 1 * kSecond;
  e.to_ns = 10 * kSecond;
  return b.file;
}

std::vector<std::string> kinds(const TraceFile& file, const weir::replay::Story& story) {
  std::vector<std::string> out;
  for (const auto& e : story.events) out.push_back(file.kind_name(file.events[e.index]));
  return out;
}

}  // namespace

TEST_CASE("a lost write's story follows its lost record, and not the record a zone applied") {
  const TraceFile file = lost_record();
  const weir::replay::Explainer explainer(file);
  const weir::replay::Story story = explainer.explain(file.violations[0]);
  REQUIRE(story.records.size() == 1);
  CHECK(story.records[0].partition == 0);
  CHECK(story.records[0].offset == 5);
  CHECK(story.records[0].digest == 0xAB);
  CHECK(story.records[0].lost);
}

TEST_CASE("the story keeps what touches the record and drops the rest") {
  const TraceFile file = lost_record();
  const weir::replay::Explainer explainer(file);
  const weir::replay::Story story = explainer.explain(file.violations[0]);
  CHECK(kinds(file, story) == std::vector<std::string>{
                                  "kafka.classic.leader_elected",  // partition 0, broker 0 leads
                                  "kafka.classic.appended",        // offsets 3..6 cover 5
                                  "kafka.classic.replicated",      // broker 1's first fetch past 5
                                  "mimir.distributor.log_ack",     // write #7 at partition 0
                                  "mimir.distributor.log_ack",     // write #7 at partition 1
                                  "kafka.classic.flushed",         // broker 1 made it durable
                                  "node.crash",                    // broker 0 held it
                                  "kafka.classic.leader_elected",  // unclean, broker 2
                                  "kafka.classic.truncated",       // broker 1 cut offset 5
                                  "kafka.classic.log_recovered",   // broker 0 came back without it
                                  "mimir.ingester.applied",        // where zone-a's ingester of partition 0 stood
                              });
}

TEST_CASE("the last avoidable moment is the removal of the last broker holding the record") {
  const TraceFile file = lost_record();
  const weir::replay::Explainer explainer(file);
  const weir::replay::Story story = explainer.explain(file.violations[0]);
  REQUIRE(story.last_avoidable);
  // Broker 0 lost it at its crash (3 s), broker 1, the last holder, by truncation at 4 s.
  CHECK(story.last_avoidable->time_ns == 4 * kSecond + 1);
  CHECK(story.last_avoidable->what == "kafka-broker-1 truncated partition 0 to log end 3, cutting offset 5");
  const auto lines = explainer.lines(story);
  CHECK(lines.back() ==
        "last avoidable moment: just before 4.000000s: kafka-broker-1 truncated partition 0 to log end 3, cutting "
        "offset 5");
  const auto top = explainer.highlights(story, 3);
  REQUIRE(top.size() == 3);
  CHECK(top[0].index < top[1].index);  // in time order
  CHECK(file.kind_name(file.events[top[2].index]) == "kafka.classic.log_recovered");
}

TEST_CASE("a crash before a flush loses the page cache: the loss is the crash, not the recovery") {
  TraceFile file = lost_record();
  // Broker 1 never fetched the record: broker 0 alone held it, unflushed.
  file.events.erase(file.events.begin() + 2, file.events.begin() + 4);
  const weir::replay::Explainer explainer(file);
  const auto story = explainer.explain(file.violations[0]);
  REQUIRE(story.last_avoidable);
  CHECK(story.last_avoidable->time_ns == 3 * kSecond);
  CHECK(story.last_avoidable->what ==
        "kafka-broker-0 crashed before a flush covered partition 0 offset 5 (it recovered with log end 5)");
}

TEST_CASE("a record a flushed replica keeps is not lost for good") {
  TraceFile file = lost_record();
  file.events.erase(file.events.begin() + 11);  // broker 1 never truncates
  const weir::replay::Explainer explainer(file);
  CHECK_FALSE(explainer.explain(file.violations[0]).last_avoidable);
}

// ---- A real run: every broker crashes at once, past the fault budget.

#include "weir/scenarios/scenario_spec.h"
#include "weir/scenarios/trace_run.h"

namespace {

// The lines of `lines` that contain each of `wanted`, in order.
bool in_order(const std::vector<std::string>& lines, const std::vector<std::string>& wanted) {
  std::size_t at = 0;
  for (const auto& line : lines) {
    if (at < wanted.size() && line.find(wanted[at]) != std::string::npos) ++at;
  }
  return at == wanted.size();
}

}  // namespace

TEST_CASE("the story of an acked write lost when every broker crashed at once, as written by hand") {
  weir::scenarios::ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("beyond-budget-classic"));
  for (const char* o : {"log.partitions=1", "workload.clients_per_zone=1", "workload.series_per_client=4"}) {
    REQUIRE_FALSE(loader.set(o));
  }
  const TraceFile file = weir::scenarios::record_in_memory(loader, 0);
  REQUIRE_FALSE(file.violations.empty());
  REQUIRE(file.violations[0].property == "no_lost_acked_samples");
  const weir::replay::Explainer explainer(file);
  const auto story = explainer.explain(file.violations[0]);
  const auto lines = explainer.lines(story);
  INFO(fmt::format("{}", fmt::join(lines, "\n")));
  // Before the crash, broker 0 leads partition 0; it appends a record at
  // offset 51, both followers fetch it, and both zones' ingesters apply it.
  // All three brokers crash at 30 s with offset 51 in their page caches
  // only, and recover with log end 51: the record is gone. Broker 2 then
  // leads and gives offset 51 to write #78's record, which the log keeps,
  // but the ingesters, already past 51, never apply it.
  CHECK(in_order(lines, {
                            "kafka-broker-0 zone-a kafka.classic.appended: leader appended offsets 51..51 of partition 0 at epoch 0",
                            "kafka-broker-1 zone-b kafka.classic.replicated: fetched partition 0 from the leader up to log end 52",
                            "ingester-zone-a-0 zone-a mimir.ingester.applied: applied partition 0 offset 51: 4 samples",
                            "ingester-zone-b-0 zone-b mimir.ingester.applied: applied partition 0 offset 51: 4 samples",
                            "30.000000 kafka-broker-0 zone-a node.crash",
                            "kafka-broker-0 zone-a kafka.classic.log_recovered: partition 0 recovered from disk with log end 51",
                            "kafka-broker-2 zone-c kafka.classic.log_recovered: partition 0 recovered from disk with log end 51",
                            "kafka.classic.leader_elected: partition 0: kafka-broker-2 leads at epoch 4 (unclean: no)",
                            "kafka-broker-2 zone-c kafka.classic.appended: leader appended offsets 51..51 of partition 0 at epoch 4",
                            "mimir.distributor.log_ack: write #78: record",
                            "prometheus-zone-a zone-a mimir.remote_write.attempt: write #78 attempt answered 200",
                            "kafka-broker-2 zone-c kafka.classic.flushed: partition 0 flushed to disk up to log end",
                        }));
  REQUIRE(story.records.size() == 1);
  CHECK(story.records[0].partition == 0);
  CHECK(story.records[0].offset == 51);
  CHECK(story.records[0].lost);
  // The loss: the brokers' crash at 30 s took the first record at offset 51,
  // which zone-a had applied; the offset was then reused.
  REQUIRE(story.last_avoidable);
  CHECK(story.last_avoidable->time_ns == 30 * kSecond);
  CHECK_THAT(story.last_avoidable->what,
             Catch::StartsWith("kafka-broker-0, kafka-broker-1, kafka-broker-2 crashed at the same instant, before a "
                               "flush covered partition 0 offset 51 on any of them; zone-a had applied that earlier "
                               "record"));
  CHECK_THAT(story.last_avoidable->what, Catch::Contains("so it never applied the record that reused offset 51"));
}
