// shrink_failure on real failures: a scheduled plan of six faults cut to the
// two that lose data, a swarm run of chaos-classic cut from its drawn faults
// (times in nanoseconds, so through the millisecond check), the reproduction
// line's overrides giving the very same run, and the same shrink twice
// giving the same runs.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/scenarios/shrink.h"

using namespace weir::scenarios;
namespace sim = weir::sim;
namespace properties = weir::properties;

namespace {

// Six faults; seed 1 loses acked samples through two of them, seed 0 passes.
const std::string kPlanFile = WEIR_TESTDATA_DIR "/shrink-slow-disk-kill.textproto";

ScenarioLoader load(const std::string& name, const std::vector<std::string>& overrides = {}) {
  ScenarioLoader loader;
  const auto error = loader.load(name);
  INFO(error.value_or(""));
  REQUIRE_FALSE(error);
  for (const auto& assignment : overrides) REQUIRE_FALSE(loader.set(assignment));
  return loader;
}

// A short chaos-classic whose swarm (five kinds, all on) draws six faults for
// seed 92, a few of which lose data with the planted knob.
ScenarioLoader small_chaos() {
  const char* kinds = R"(faults.swarm.kinds=["ingester_kill","disk_slow","object_store_slow","network_delay",)"
                      R"("broker_crash"])";
  return load("chaos-classic", {"log.partitions=2", "workload.series_per_client=20", "workload.scrape_interval_ms=1000",
                                "workload.batch_send_deadline_ms=1000", "phases.safety_ms=40000",
                                "phases.drain_ms=20000", "knobs.ingester.commit_before_wal_fsync=true", kinds,
                                "faults.swarm.kind_probability=1"});
}

bool violates(const RunResult& r, const std::string& property) {
  return std::any_of(r.violations.begin(), r.violations.end(), [&](const auto& v) { return v.property == property; });
}

// The reproduction line's scenario and overrides, loaded afresh and run: the
// same run as the shrink's last, event for event.
void check_reproduces(const ShrinkReport& report) {
  const RunResult& shrunk = report.final_run;
  ScenarioLoader again = load(shrunk.scenario_source, shrunk.overrides);
  const FaultPlan plan = again.options().pipeline.faults;
  CHECK_FALSE(plan.swarm.enabled);
  REQUIRE(plan.faults.size() == report.schedule.size());
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    CHECK(plan.faults[i].at == report.schedule[i].at);
    CHECK(plan.faults[i].duration == report.schedule[i].duration);
  }
  const RunResult rerun = run_pipeline(again.options().pipeline, shrunk.seed);
  CHECK(rerun.trace_hash == shrunk.trace_hash);
  CHECK(rerun.exit_code() == shrunk.exit_code());
  REQUIRE(rerun.violations.size() == shrunk.violations.size());
  for (std::size_t i = 0; i < rerun.violations.size(); ++i) {
    CHECK(rerun.violations[i].property == shrunk.violations[i].property);
    CHECK(rerun.violations[i].message == shrunk.violations[i].message);
  }
  CHECK(same_failure(report.original, rerun));
}

}  // namespace

TEST_CASE("shrink cuts a six-fault plan to the slow disk and the kill that lose data; text and JSON", "[shrink]") {
  const ScenarioLoader loader = load(kPlanFile);
  const ShrinkReport report = shrink_failure(loader, 1, ShrinkOptions{40});
  INFO(to_text(report));
  REQUIRE(report.status == ShrinkStatus::shrunk);
  CHECK(report.original_fault_count == 6);
  CHECK(violates(report.original, "no_lost_acked_samples"));
  CHECK(report.finished);
  CHECK(report.runs <= 40);
  REQUIRE(report.schedule.size() <= 3);
  const auto has = [&](FaultKind kind, int target) {
    return std::any_of(report.schedule.begin(), report.schedule.end(),
                       [&](const auto& f) { return f.kind == kind && f.target == target; });
  };
  CHECK(has(FaultKind::disk_slow, 1));
  CHECK(has(FaultKind::ingester_kill, 1));
  CHECK(violates(report.final_run, "no_lost_acked_samples"));
  CHECK(report.exit_code() == exit_code::safety_failed);
  // Simplified: the slow disk lasts only until just after the kill.
  for (const auto& f : report.schedule) {
    if (f.kind == FaultKind::disk_slow) CHECK(f.duration < sim::Duration::seconds(36));
  }
  check_reproduces(report);

  // Text and JSON: the schedule, the verdict and the reproduction line.
  const std::string text = to_text(report);
  CHECK(text.rfind("shrink shrink-slow-disk-kill seed 1: 6 faults cut to ", 0) == 0);
  for (const auto& f : report.schedule) CHECK(text.find(fmt::format("\n  {}\n", describe(f))) != std::string::npos);
  CHECK(text.find("\nFAIL (safety) scenario=shrink-slow-disk-kill seed=1") != std::string::npos);
  CHECK(text.find(fmt::format("\nreproduce: {}\n", report.final_run.reproduce_command())) != std::string::npos);
  const auto j = nlohmann::json::parse(to_json(report));
  CHECK(j["status"] == "shrunk");
  CHECK(j["exit_code"] == 1);
  CHECK(j["original_faults"] == 6);
  CHECK(j["faults"].size() == report.schedule.size());
  CHECK(j["faults"][0]["kind"] == std::string(to_string(report.schedule[0].kind)));
  CHECK(j["reproduce"] == report.final_run.reproduce_command());
  CHECK(j["run"]["trace_hash"] == nlohmann::json::parse(to_json(report.final_run))["trace_hash"]);
}

TEST_CASE("shrink cuts a swarm's drawn faults, same seed same shrink", "[shrink]") {
  const ScenarioLoader loader = small_chaos();
  const ShrinkReport report = shrink_failure(loader, 92, ShrinkOptions{40});
  INFO(to_text(report));
  REQUIRE(report.status == ShrinkStatus::shrunk);
  CHECK(report.original_fault_count >= 5);
  CHECK(report.schedule.size() <= 3);
  CHECK(report.finished);
  CHECK(violates(report.final_run, "no_lost_acked_samples"));
  for (const auto& f : report.schedule) {
    CHECK(f.at.ns() % 1'000'000 == 0);  // whole milliseconds, as the overrides carry them
    CHECK(f.duration.ns() % 1'000'000 == 0);
  }
  const auto& line = report.final_run.reproduce_command();
  CHECK(line.find("--set faults.swarm.enabled=false --set 'faults.fault=[]' --set 'faults.fault[0]={kind: ") !=
        std::string::npos);
  check_reproduces(report);

  const ShrinkReport again = shrink_failure(loader, 92, ShrinkOptions{40});
  CHECK(again.runs == report.runs);
  CHECK(again.final_run.trace_hash == report.final_run.trace_hash);
  CHECK(again.original.trace_hash == report.original.trace_hash);
  CHECK(schedule_overrides(again.schedule) == schedule_overrides(report.schedule));
  CHECK(to_text(again).substr(0, 40) == to_text(report).substr(0, 40));
}

TEST_CASE("shrink of a passing seed runs it once and reports nothing to shrink", "[shrink]") {
  const ShrinkReport report = shrink_failure(load(kPlanFile), 0);
  CHECK(report.status == ShrinkStatus::passed);
  CHECK(report.runs == 1);
  CHECK(report.schedule.empty());
  CHECK(report.exit_code() == exit_code::ok);
  CHECK(to_text(report) == "PASS scenario=shrink-slow-disk-kill seed=0: the run passed, nothing to shrink\n");
  const auto j = nlohmann::json::parse(to_json(report));
  CHECK(j["status"] == "passed");
  CHECK(j["exit_code"] == 0);
  CHECK_FALSE(j.contains("reproduce"));
}

TEST_CASE("shrink stops at runs_max with the smallest failing schedule so far", "[shrink]") {
  const ShrinkReport report = shrink_failure(load(kPlanFile), 1, ShrinkOptions{8});
  INFO(to_text(report));
  REQUIRE(report.status == ShrinkStatus::shrunk);
  CHECK(report.runs == 8);
  CHECK_FALSE(report.finished);
  CHECK(report.schedule.size() < 6);
  CHECK(violates(report.final_run, "no_lost_acked_samples"));
  CHECK(to_text(report).find("stopped at the runs limit, 8 runs") != std::string::npos);
  CHECK(ShrinkOptions{1}.validate().has_value());
  CHECK_FALSE(ShrinkOptions{2}.validate().has_value());
}

TEST_CASE("same_failure: the same exit code and a shared property of the kind that decides it", "[shrink]") {
  auto run = [](std::vector<std::string> properties_violated, std::string error = "") {
    RunResult r;
    for (auto& p : properties_violated) r.violations.push_back({std::move(p), "m"});
    r.simulator_error = std::move(error);
    return r;
  };
  const RunResult lost = run({"no_lost_acked_samples", "liveness"});
  CHECK(same_failure(lost, run({"no_lost_acked_samples"})));
  CHECK(same_failure(lost, run({"no_lost_acked_samples", "read_after_write"})));
  CHECK_FALSE(same_failure(lost, run({"read_after_write"})));         // another safety property
  CHECK_FALSE(same_failure(lost, run({"read_after_write", "liveness"})));  // shares only liveness
  CHECK_FALSE(same_failure(lost, run({"liveness"})));                 // exit 2, not 1
  CHECK_FALSE(same_failure(lost, run({})));
  const RunResult stuck = run({"liveness"});
  CHECK(same_failure(stuck, run({"liveness"})));
  CHECK_FALSE(same_failure(stuck, run({"liveness", "no_lost_acked_samples"})));  // now exit 1
  const RunResult crashed = run({}, "livelock");
  CHECK(same_failure(crashed, run({}, "another error")));
  CHECK_FALSE(same_failure(crashed, run({"no_lost_acked_samples"})));
  CHECK_FALSE(same_failure(run({}), run({"liveness"})));  // a passing run has no failure to keep
}

TEST_CASE("simpler_faults halves durations down to 1 s, then the default magnitude", "[shrink]") {
  const ScheduledFault slow{FaultKind::disk_slow, sim::Duration::seconds(2), sim::Duration::milliseconds(4'001), 1,
                            300};
  const auto simpler = simpler_faults(slow);
  REQUIRE(simpler.size() == 2);
  CHECK(simpler[0].duration == sim::Duration::milliseconds(2'000));
  CHECK(simpler[0].magnitude == 300);
  CHECK(simpler[1].duration == slow.duration);
  CHECK(simpler[1].magnitude == default_magnitude(FaultKind::disk_slow));
  CHECK(simpler_faults({FaultKind::disk_slow, {}, sim::Duration::milliseconds(1'500), 1, 10})[0].duration ==
        sim::Duration::seconds(1));
  CHECK(simpler_faults({FaultKind::ingester_kill, {}, sim::Duration::seconds(1), 1, 0}).empty());
  CHECK(simpler_faults({FaultKind::disk_slow, {}, sim::Duration::milliseconds(500), 1, 10}).empty());
}
