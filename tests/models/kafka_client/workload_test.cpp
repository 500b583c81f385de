#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "client_fixture.h"
#include "weir/models/kafka/log_workload.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::testing;
using namespace weir::sim::literals;

namespace {

LogWorkloadOptions small_workload() {
  LogWorkloadOptions options;
  options.duration = 2_s;
  return options;
}

ReferenceLogOptions three_zones() { return ReferenceLogOptions{{"zone-a", "zone-b", "zone-c"}, "ingest", 4}; }

bool mentions(const std::vector<std::string>& violations, std::string_view text) {
  return std::any_of(violations.begin(), violations.end(),
                     [&](const std::string& v) { return v.find(text) != std::string::npos; });
}

// A consistent summary of two acked records read by two zones.
LogWorkloadSummary consistent_summary() {
  LogWorkloadSummary s;
  s.produced = 2;
  s.acked = 2;
  s.produced_digests = {11, 22};
  s.acked_records = {AckedRecord{0, 0, 11}, AckedRecord{0, 1, 22}};
  PartitionRead read{true, 0, 2, {ReadRecord{0, 11}, ReadRecord{1, 22}}};
  s.reads = {ZoneRead{"zone-a", {read}}, ZoneRead{"zone-b", {read}}};
  return s;
}

}  // namespace

TEST_CASE("the workload finds no violation on a correct log", "[kafka_client][workload]") {
  sim::NetworkOptions network = constant_links();
  network.drop_probability = 0.01;
  ClientFixture f(three_zones(), 5, network);
  const LogWorkloadSummary summary = run_log_workload(f.sim, f.log, small_workload());
  CHECK(summary.violations().empty());
  CHECK(summary.produced > 200);
  CHECK(summary.acked + summary.failed + summary.unresolved == summary.produced);
  CHECK(summary.unresolved == 0);
  CHECK(summary.acked > summary.produced * 9 / 10);
  REQUIRE(summary.reads.size() == 3);
  for (const ZoneRead& zone : summary.reads) {
    for (const PartitionRead& read : zone.partitions) CHECK(read.complete);
  }
}

TEST_CASE("the workload is deterministic", "[kafka_client][workload][determinism]") {
  const auto hash = [](std::uint64_t seed) {
    ClientFixture f(three_zones(), seed);
    run_log_workload(f.sim, f.log, small_workload());
    return f.sim.trace_hash();
  };
  CHECK(hash(9) == hash(9));
  CHECK(hash(9) != hash(10));
}

TEST_CASE("the workload checks catch lost, reordered, gapped and phantom records", "[kafka_client][workload]") {
  CHECK(consistent_summary().violations().empty());

  LogWorkloadSummary lost = consistent_summary();
  lost.reads[1].partitions[0].records.pop_back();
  lost.reads[1].partitions[0].complete = false;
  const auto lost_violations = lost.violations();
  CHECK(mentions(lost_violations, "zone zone-b partition 0: acknowledged record lost at offset 1"));
  CHECK(mentions(lost_violations, "did not reach the high watermark"));
  CHECK(mentions(lost_violations, "differs"));

  LogWorkloadSummary diverged = consistent_summary();
  std::swap(diverged.reads[1].partitions[0].records[0].digest, diverged.reads[1].partitions[0].records[1].digest);
  CHECK(mentions(diverged.violations(), "acknowledged record lost at offset 0"));

  LogWorkloadSummary gap = consistent_summary();
  for (ZoneRead& zone : gap.reads) zone.partitions[0].records[1].offset = 2;
  CHECK(mentions(gap.violations(), "offsets not dense at offset 2"));

  LogWorkloadSummary phantom = consistent_summary();
  for (ZoneRead& zone : phantom.reads) zone.partitions[0].records.push_back(ReadRecord{2, 99});
  CHECK(mentions(phantom.violations(), "phantom record at offset 2"));
}
