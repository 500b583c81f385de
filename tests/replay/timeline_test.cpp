// The timeline of a trace file: one line's format, zones from the footer or
// the node name, and how node, zone, partition and time filters combine.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "weir/replay/timeline.h"
#include "weir/sim/trace.h"

namespace {

using weir::replay::RecordedEvent;
using weir::replay::TimelineFilter;
using weir::replay::TraceFile;

constexpr std::uint32_t kDistributorA = 0;
constexpr std::uint32_t kIngesterA13 = 1;
constexpr std::uint32_t kIngesterB3 = 2;
constexpr std::uint32_t kBroker = 3;

// Four nodes; the broker's zone is only in the footer, the others' only in
// their names. One event per node per second, 0..9 s, plus a system event.
TraceFile sample() {
  TraceFile file;
  file.kinds = {"kafka.produce", "ingester.consume"};
  file.node_names = {"distributor-zone-a", "ingester-zone-a-13", "ingester-zone-b-3", "kafka-broker-1"};
  file.node_zones = {"", "", "", "zone-c"};
  for (std::int64_t second = 0; second < 10; ++second) {
    for (std::uint32_t node = 0; node < 4; ++node) {
      file.events.push_back(RecordedEvent{second * 1'000'000'000 + node, node, node % 2, 0xabcULL + node});
    }
  }
  file.events.push_back(RecordedEvent{2'500'000'000, weir::sim::kNoNode, 0, 1});
  return file;
}

std::vector<std::string> lines(const TraceFile& file, const TimelineFilter& filter) {
  std::vector<std::string> out;
  const weir::replay::Timeline timeline(file, filter);
  for (const auto& e : file.events) {
    if (timeline.matches(e)) out.push_back(timeline.line(e));
  }
  return out;
}

std::size_t count(const TraceFile& file, const TimelineFilter& filter) { return lines(file, filter).size(); }

}  // namespace

TEST_CASE("a timeline line is seconds, node, zone, kind, digest") {
  const TraceFile file = sample();
  const weir::replay::Timeline timeline(file, {});
  CHECK(timeline.line(RecordedEvent{5'012'345'678, kIngesterA13, 1, 0xdeadbeef}) ==
        "5.012345 ingester-zone-a-13 zone-a ingester.consume 00000000deadbeef");
  CHECK(timeline.line(RecordedEvent{7, kBroker, 0, 1}) ==
        "0.000000 kafka-broker-1 zone-c kafka.produce 0000000000000001");
  CHECK(timeline.line(RecordedEvent{0, weir::sim::kNoNode, 0, 2}) ==
        "0.000000 system - kafka.produce 0000000000000002");
  CHECK(timeline.line(RecordedEvent{0, 9, 0, 2}) == "0.000000 node#9 - kafka.produce 0000000000000002");
}

TEST_CASE("zones come from the footer, else from the node name") {
  CHECK(weir::replay::zone_from_name("ingester-zone-a-13") == "zone-a");
  CHECK(weir::replay::zone_from_name("distributor-zone-b") == "zone-b");
  CHECK(weir::replay::zone_from_name("kafka-broker-1") == "");
  CHECK(weir::replay::zone_from_name("ozone-x") == "");
  CHECK(weir::replay::zone_from_name("querier-zone-") == "");
  TraceFile file = sample();
  CHECK(weir::replay::node_zone(file, kBroker) == "zone-c");
  CHECK(weir::replay::node_zone(file, kIngesterB3) == "zone-b");
  file.node_zones[kIngesterB3] = "zone-z";
  CHECK(weir::replay::node_zone(file, kIngesterB3) == "zone-z");
}

TEST_CASE("no filter prints every event") { CHECK(count(sample(), {}) == 41); }

TEST_CASE("filters are OR within one kind") {
  const TraceFile file = sample();
  TimelineFilter nodes;
  nodes.nodes = {"distributor-zone-a", "kafka-broker-1"};
  CHECK(count(file, nodes) == 20);
  TimelineFilter zones;
  zones.zones = {"zone-b", "zone-c"};
  CHECK(count(file, zones) == 20);
  TimelineFilter partitions;
  partitions.partitions = {"13", "3"};
  CHECK(count(file, partitions) == 20);
}

TEST_CASE("a partition filter matches only ingesters whose name ends in its number") {
  const TraceFile file = sample();
  TimelineFilter filter;
  filter.partitions = {"1"};  // kafka-broker-1 ends in -1 but is no ingester; -13 is not -1
  CHECK(count(file, filter) == 0);
  filter.partitions = {"13"};
  for (const auto& line : lines(file, filter)) CHECK(line.find(" ingester-zone-a-13 ") != std::string::npos);
  CHECK(count(file, filter) == 10);
}

TEST_CASE("filters are AND across kinds") {
  const TraceFile file = sample();
  TimelineFilter filter;
  filter.zones = {"zone-a"};
  filter.partitions = {"13", "3"};
  CHECK(count(file, filter) == 10);  // ingester-zone-b-3 is in zone-b
  filter.nodes = {"distributor-zone-a"};
  CHECK(count(file, filter) == 0);
  filter.partitions.clear();
  filter.from_seconds = 5;
  filter.to_seconds = 6;
  CHECK(lines(file, filter) == std::vector<std::string>{"5.000000 distributor-zone-a zone-a kafka.produce 0000000000000abc"});
}

TEST_CASE("the time window is from inclusive to exclusive") {
  const TraceFile file = sample();
  TimelineFilter filter;
  filter.from_seconds = 2;
  filter.to_seconds = 3;
  CHECK(count(file, filter) == 5);  // four nodes at 2 s, the system event at 2.5 s
  filter.from_seconds = 2.6;
  CHECK(count(file, filter) == 0);
  filter.from_seconds.reset();
  CHECK(count(file, filter) == 13);
  filter.to_seconds.reset();
  filter.from_seconds = 9.000000002;
  CHECK(count(file, filter) == 2);  // nodes 2 and 3 at 9 s + 2 ns and + 3 ns
}

TEST_CASE("a filter's bounds are validated") {
  TimelineFilter filter;
  CHECK_FALSE(filter.validate());
  filter.from_seconds = 6;
  filter.to_seconds = 5;
  CHECK(filter.validate());
  filter.to_seconds = 6;
  CHECK_FALSE(filter.validate());
  filter.from_seconds = -1;
  CHECK(filter.validate());
  filter.from_seconds = std::numeric_limits<double>::infinity();
  CHECK(filter.validate());
}

TEST_CASE("a timeline shows domain events in words, and the runtime's events only when asked") {
  TraceFile file;
  file.kinds = {"fiber.wake", "kafka.classic.appended", "kafka.classic.truncated"};
  file.kind_texts = {"", "leader appended offsets {first}..{last} of partition {partition}",
                     "partition {partition} truncated to {end}"};
  file.node_names = {"kafka-broker-0"};
  file.node_zones = {"zone-a"};
  file.values = {{4, -1}, {6, -1}, {2, -1}, {3, -1}, {1, -1}};
  file.events.push_back(RecordedEvent{1'000'000'000, 0, 0, 0x77});
  file.events.push_back(RecordedEvent{2'000'000'000, 0, 1, 0x1, 0, 3});
  file.events.push_back(RecordedEvent{3'000'000'000, 0, 2, 0x2, 3, 2});
  CHECK(lines(file, {}) == std::vector<std::string>{
                               "2.000000 kafka-broker-0 zone-a kafka.classic.appended: leader appended offsets 4..6 of "
                               "partition 2",
                               "3.000000 kafka-broker-0 zone-a kafka.classic.truncated: partition 3 truncated to 1"});
  TimelineFilter runtime;
  runtime.runtime = true;
  CHECK(lines(file, runtime).front() == "1.000000 kafka-broker-0 zone-a fiber.wake 0000000000000077");
  CHECK(count(file, runtime) == 3);
  TimelineFilter partition;
  partition.partitions = {"3"};  // the event's partition field, though the node is no ingester
  CHECK(count(file, partition) == 1);
}
