// The planted bugs are caught: each knob, switched on with the same override
// --set uses, makes its property fail on a built-in scenario within a few
// seeds; with the knob off, the property holds over those same seeds.
#include <algorithm>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "weir/scenarios/scenario_spec.h"

using namespace weir::scenarios;

namespace {

bool fails(const RunResult& r, const std::string& property) {
  return std::any_of(r.violations.begin(), r.violations.end(),
                     [&](const auto& v) { return v.property == property; });
}

PipelineOptions scenario(const std::string& name, const std::vector<std::string>& overrides) {
  ScenarioLoader loader;
  const auto error = loader.load(name);
  REQUIRE_FALSE(error);
  for (const auto& assignment : overrides) REQUIRE_FALSE(loader.set(assignment));
  return loader.options().pipeline;
}

// The knob's first failing seed in [0, seeds), and no failure of any
// property with the knob off over the seeds up to and including it. `setup`
// (overrides the knob needs to be reachable, e.g. a log mode) holds in both.
void check_caught(const std::string& name, const std::vector<std::string>& knob, const std::string& property,
                  std::uint64_t seeds, const std::vector<std::string>& setup = {}) {
  INFO(name << " with " << knob.front() << ": " << property);
  std::vector<std::string> with_knob = setup;
  with_knob.insert(with_knob.end(), knob.begin(), knob.end());
  const PipelineOptions on = scenario(name, with_knob);
  const PipelineOptions off = scenario(name, setup);
  std::uint64_t seed = 0;
  while (seed < seeds && !fails(run_pipeline(on, seed), property)) ++seed;
  REQUIRE(seed < seeds);
  for (std::uint64_t s = 0; s <= seed; ++s) {
    const RunResult r = run_pipeline(off, s);
    INFO(to_text(r));
    CHECK(r.violations.empty());
  }
}

// For a knob whose window opens only deep in its scenario's seeds: the known
// first failing seed fails with the knob and has no violation without it.
// (That the seeds before it pass without the knob is what the scenario's own
// sweeps check; running them all here would cost minutes under sanitizers.)
void check_caught_at(const std::string& name, const std::vector<std::string>& knob, const std::string& property,
                     std::uint64_t seed) {
  INFO(name << " with " << knob.front() << ": " << property << " at seed " << seed);
  CHECK(fails(run_pipeline(scenario(name, knob), seed), property));
  const RunResult off = run_pipeline(scenario(name, {}), seed);
  INFO(to_text(off));
  CHECK(off.violations.empty());
}

}  // namespace

TEST_CASE("planted: distributor acks before every partition is written", "[planted]") {
  check_caught("az-partition-classic", {"knobs.distributor.ack_before_all_partitions=true"}, "no_lost_acked_samples", 4);
}

TEST_CASE("planted: ingester starts at the log end without a committed offset", "[planted]") {
  check_caught("ingester-crash-classic", {"knobs.ingester.start_at_log_end_without_offset=true"}, "gapless_replay", 6);
}

TEST_CASE("planted: query-frontend serves strong reads with stale offsets", "[planted]") {
  check_caught("chaos-classic", {"knobs.query_frontend.strong_read_uses_stale_offsets=true"}, "read_after_write", 18);
}

TEST_CASE("planted: diskless agent acks before the metadata commit", "[planted]") {
  check_caught("baseline-diskless", {"log.diskless.ack_before_commit=true"}, "identical_ordering", 4);
}

TEST_CASE("planted: ingester commits the offset before the WAL fsync", "[planted]") {
  // The zone that lost them answers strong reads without them; by the final
  // read the other zone's blocks may already hold them in long-term storage.
  check_caught("ingester-crash-slow-disk-classic", {"knobs.ingester.commit_before_wal_fsync=true"},
               "read_after_write", 4);
}

TEST_CASE("planted: ingester drops a whole concurrent fetch when one range fails", "[planted]") {
  check_caught("ingester-catch-up-classic", {"knobs.ingester.drop_whole_fetch_on_partial_error=true"},
               "gapless_replay", 6);
}

TEST_CASE("planted: ingester's reader ignores the record at offset 0", "[planted]") {
  check_caught("baseline-classic", {"knobs.ingester.ignore_record_at_offset_zero=true"}, "gapless_replay", 1);
}

TEST_CASE("planted: ingester's concurrent fetch returns overlapping records twice", "[planted]") {
  check_caught("ingester-catch-up-classic", {"knobs.ingester.return_overlapping_records_twice=true"},
               "identical_ordering", 1);
}

TEST_CASE("planted: ingester resumes from an unset last returned offset", "[planted]") {
  // Only a restart with everything committed, on a partition that got no
  // record while the ingester was down, catches up before returning a
  // record: the swarm's sparse partitions give one at seed 30.
  check_caught_at("chaos-diskless", {"knobs.ingester.resume_from_unset_last_returned_offset=true"},
                  "identical_ordering", 30);
}

TEST_CASE("planted: ingester reads a missing committed offset as 0", "[planted]") {
  check_caught("baseline-classic", {"knobs.ingester.missing_committed_offset_as_zero=true"}, "gapless_replay", 1);
}

TEST_CASE("planted: diskless agent in WAL mode does not recover its WAL after a restart", "[planted]") {
  check_caught("chaos-diskless", {"log.diskless.skip_wal_recovery_on_restart=true"}, "no_lost_acked_samples", 5,
               {"log.diskless.automq_wal_mode=true"});
}

TEST_CASE("planted: classic Kafka with min ISR 1 and unclean leader election", "[planted]") {
  check_caught("broker-loss-isr-shrink-classic",
               {"log.classic.min_insync_replicas=1", "log.classic.unclean_leader_election=true"},
               "no_lost_acked_samples", 2);
}
