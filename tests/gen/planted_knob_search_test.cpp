// The example property test of docs/property-tests.md: "no run of a small
// classic pipeline loses acknowledged samples, whatever faults strike it".
// With the planted knob by which a distributor acks a write before every
// partition it touched has acked, RapidCheck finds a failing fault schedule
// and shrinks it to at most 3 faults; its reproduction line runs the same
// failure. With the knob off, the same search finds nothing.
#include <iostream>

#include <catch2/catch.hpp>

#include "weir/gen/search.h"

using namespace weir;
using scenarios::FaultKind;

namespace {

// Mimir's block settings (blocks={}): the baseline's 20 s blocks assume no
// faults (a head refuses samples half a range behind its newest, and faults
// delay writes by tens of seconds), and this search is about the distributor.
scenarios::Scenario small_classic() {
  return scenarios::Scenario::builtin("baseline-classic")
      .set("blocks={}")
      .set("workload.clients_per_zone=1")  // a light load: a search runs it many times
      .set("workload.batch_send_deadline_ms=5000")
      .set("log.partitions=2")
      .set("workload.series_per_client=20")
      .set("workload.scrape_interval_ms=5000")
      .set("phases.safety_ms=40000")
      .set("phases.drain_ms=30000");
}

// Log-node crashes stay out: crashing two classic brokers at once loses
// acked records by design (they ack from the page cache), which would be a
// failure of the design, not of the knob. Random message drops and delays
// stay out too: a failure that hangs on which message a 5% drop hit comes
// and goes with any change to the run, and shrinks poorly.
gen::FaultScheduleOptions faults() {
  gen::FaultScheduleOptions options;
  options.kinds = {FaultKind::ingester_kill, FaultKind::disk_slow, FaultKind::group_partition,
                   FaultKind::zone_partition, FaultKind::ingester_stop, FaultKind::object_store_slow};
  options.faults_max = 8;
  return options;
}

constexpr std::uint64_t kSeed = 1;
const gen::SearchOptions kSearch{.tests_max = 100, .properties = {"no_lost_acked_samples"}};

}  // namespace

TEST_CASE("a planted knob is found and shrunk to at most 3 faults, with a line that reproduces it", "[gen][example]") {
  const auto scenario = small_classic().set("knobs.distributor.ack_before_all_partitions=true");
  const auto found = gen::find_failing_schedule(scenario, kSeed, faults(), kSearch);
  REQUIRE(found);
  std::cout << found->describe();
  CHECK(found->result.exit_code() == scenarios::exit_code::safety_failed);
  CHECK(found->result.fault_schedule.size() <= 3);
  CHECK(found->schedule.size() <= 3);
  bool lost = false;
  for (const auto& v : found->result.violations) lost = lost || v.property == "no_lost_acked_samples";
  CHECK(lost);
  // The line's scenario, seed and overrides run the same failure.
  const std::string line = found->result.reproduce_command();
  CHECK(line.rfind("weir run --scenario baseline-classic --seed 1 ", 0) == 0);
  CHECK(line.find("--set knobs.distributor.ack_before_all_partitions=true") != std::string::npos);
  auto rerun = scenarios::Scenario::builtin("baseline-classic");
  for (const auto& assignment : found->result.overrides) rerun = rerun.set(assignment);
  const auto again = rerun.run(kSeed);
  CHECK(again.trace_hash == found->result.trace_hash);
  CHECK(again.exit_code() == scenarios::exit_code::safety_failed);
}

TEST_CASE("the same search is the same every time: the same shrunk schedule and run", "[gen]") {
  const auto scenario = small_classic().set("knobs.distributor.ack_before_all_partitions=true");
  const auto first = gen::find_failing_schedule(scenario, kSeed, faults(), kSearch);
  const auto second = gen::find_failing_schedule(scenario, kSeed, faults(), kSearch);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->runs == second->runs);
  CHECK(first->result.trace_hash == second->result.trace_hash);
  CHECK(first->result.reproduce_command() == second->result.reproduce_command());
}

TEST_CASE("with the knob off, the same search finds no failing schedule", "[gen]") {
  CHECK_FALSE(gen::find_failing_schedule(small_classic(), kSeed, faults(), kSearch));
}
