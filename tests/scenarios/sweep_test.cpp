#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <set>
#include <vector>

#include "weir/scenarios/sweep.h"

using namespace weir::scenarios;

TEST_CASE("seed ranges and shards parse strictly", "[sweep]") {
  CHECK(parse_seed_range("0:200")->begin == 0);
  CHECK(parse_seed_range("0:200")->end == 200);
  CHECK_FALSE(parse_seed_range("5:5"));
  CHECK_FALSE(parse_seed_range("7:3"));
  CHECK_FALSE(parse_seed_range("a:3"));
  CHECK_FALSE(parse_seed_range("3"));
  CHECK_FALSE(parse_seed_range("1:2x"));
  CHECK(parse_shard("2/4")->index == 2);
  CHECK_FALSE(parse_shard("4/4"));
  CHECK_FALSE(parse_shard("0/0"));
  CHECK_FALSE(parse_shard("1-4"));
}

TEST_CASE("a sweep reports results in seed order, and a crashing seed as a failure", "[sweep]") {
  const RunSeed run = [](std::uint64_t seed) {
    if (seed == 3) {  // a seed that kills its worker (past the test framework's own handler)
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    }
    RunResult r;
    r.scenario = "test";
    r.seed = seed;
    r.trace_hash = seed * 7;
    if (seed == 5) r.violations.push_back({"no_lost_acked_samples", "lost"});
    if (seed == 6) r.violations.push_back({"liveness", "stuck"});
    return r;
  };
  std::vector<RunResult> seen;
  const SweepSummary s = run_sweep("test", run, {{0, 8}, {0, 1}, 3}, [&](const RunResult& r) { seen.push_back(r); });
  REQUIRE(seen.size() == 8);
  for (std::uint64_t i = 0; i < 8; ++i) CHECK(seen[i].seed == i);
  CHECK(seen[2].trace_hash == 14);
  CHECK(seen[3].exit_code() == 3);
  CHECK(seen[3].simulator_error.find("signal") != std::string::npos);
  CHECK(s.seeds_run == 8);
  CHECK(s.seeds_failed == 3);
  CHECK(s.failures_by_property.at("simulator") == 1);
  CHECK(s.failures_by_property.at("no_lost_acked_samples") == 1);
  CHECK(s.failures_by_property.at("liveness") == 1);
  CHECK(s.exit_code == 1);
}

TEST_CASE("shards split the seeds without overlap", "[sweep]") {
  const RunSeed run = [](std::uint64_t seed) {
    RunResult r;
    r.seed = seed;
    return r;
  };
  std::vector<std::uint64_t> all;
  for (std::uint64_t i = 0; i < 3; ++i) {
    run_sweep("t", run, {{10, 20}, {i, 3}, 2}, [&](const RunResult& r) { all.push_back(r.seed); });
  }
  std::sort(all.begin(), all.end());
  CHECK(all == std::vector<std::uint64_t>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
}

TEST_CASE("a sweep reruns a share of its seeds and reports a seed whose second run differs", "[sweep]") {
  const RunSeed run = [](std::uint64_t seed) {
    RunResult r;
    r.scenario = "test";
    r.seed = seed;
    r.events = 10;
    // Seed 4 depends on something outside the simulation: its process id.
    r.trace_hash = seed == 4 ? static_cast<std::uint64_t>(::getpid()) : seed * 7;
    return r;
  };
  std::vector<RunResult> seen;
  const SweepSummary all = run_sweep("test", run, {{0, 8}, {0, 1}, 2, 1.0}, [&](const RunResult& r) { seen.push_back(r); });
  REQUIRE(seen.size() == 8);
  for (std::uint64_t i = 0; i < 8; ++i) CHECK(seen[i].seed == i);
  CHECK(all.seeds_run == 8);
  CHECK(all.seeds_rechecked == 8);
  CHECK(seen[4].exit_code() == 3);
  CHECK(seen[4].nondeterminism.find("second run") != std::string::npos);
  CHECK(seen[3].nondeterminism.empty());
  CHECK(all.failures_by_property.at("determinism") == 1);

  const SweepSummary none = run_sweep("test", run, {{0, 8}, {0, 1}, 1, 0.0}, [](const RunResult&) {});
  CHECK(none.seeds_rechecked == 0);
  CHECK(none.seeds_failed == 0);
}

TEST_CASE("the rechecked seeds are a stable share of the seeds", "[sweep]") {
  int chosen = 0;
  for (std::uint64_t seed = 0; seed < 10000; ++seed) chosen += rechecked(seed, 0.05) ? 1 : 0;
  CHECK(chosen > 400);
  CHECK(chosen < 600);
  CHECK(rechecked(123, 0.05) == rechecked(123, 0.05));
  CHECK_FALSE(rechecked(123, 0.0));
  CHECK(rechecked(123, 1.0));
}

TEST_CASE("a sweep counts the seeds in which a property judged nothing", "[sweep][evidence]") {
  const RunSeed run = [](std::uint64_t seed) {
    RunResult r;
    r.seed = seed;
    r.checked = {{"no_lost_acked_samples", 100 + seed}, {"read_after_write", seed % 3 == 0 ? 0 : seed}};
    return r;
  };
  std::vector<RunResult> seen;
  const SweepSummary s = run_sweep("test", run, {{0, 7}, {0, 1}, 2}, [&](const RunResult& r) { seen.push_back(r); });
  REQUIRE(seen.size() == 7);
  CHECK(seen[4].checked.at("no_lost_acked_samples") == 104);  // carried back from the worker
  CHECK(s.vacuous_by_property == std::map<std::string, std::uint64_t>{{"read_after_write", 3}});  // seeds 0, 3, 6
  CHECK(s.seeds_failed == 0);
}

TEST_CASE("a missing expected failure ranks between liveness and simulator failures", "[sweep][expect]") {
  using weir::scenarios::worse_exit_code;
  CHECK(worse_exit_code(4, 3) == 4);
  CHECK(worse_exit_code(3, 4) == 4);
  CHECK(worse_exit_code(2, 4) == 2);
  CHECK(worse_exit_code(4, 1) == 1);
  CHECK(worse_exit_code(0, 4) == 4);
}

TEST_CASE("a worker runs many seeds, and one that dies takes only its own seed with it", "[sweep]") {
  const RunSeed run = [](std::uint64_t seed) {
    if (seed == 70) {
      std::signal(SIGABRT, SIG_DFL);
      std::abort();
    }
    RunResult r;
    r.scenario = "test";
    r.seed = seed;
    r.trace_hash = static_cast<std::uint64_t>(::getpid());  // which process ran it
    return r;
  };
  std::vector<RunResult> seen;
  const SweepSummary s = run_sweep("test", run, {{0, 150}, {0, 1}, 2, 0.0}, [&](const RunResult& r) { seen.push_back(r); });
  REQUIRE(seen.size() == 150);
  std::set<std::uint64_t> processes;
  for (std::uint64_t i = 0; i < 150; ++i) {
    CHECK(seen[i].seed == i);
    if (i != 70) processes.insert(seen[i].trace_hash);
  }
  CHECK(seen[70].simulator_error.find("signal") != std::string::npos);
  CHECK(s.seeds_failed == 1);
  // Two workers at a time, each replaced after 64 seeds or when it dies.
  CHECK(processes.size() >= 3);
  CHECK(processes.size() <= 6);
}
