// Scenario, the library API: built from a built-in, a file, text or code,
// changed by overrides and fault schedules, run with a seed; its
// reproduction line, read back as the command line reads it, runs the same.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "weir/scenarios/scenario.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

// Short phases and a small log: a run costs a few milliseconds.
Scenario small(const std::string& name) {
  return Scenario::builtin(name)
      .set("faults.swarm.duration_max_ms=8000")
      .set("log.partitions=2")
      .set("workload.series_per_client=10")
      .set("phases.safety_ms=20000")
      .set("phases.drain_ms=20000");
}

// The words of a command line as a POSIX shell splits them (plain words and
// single quotes, which is all reproduce_command() writes).
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'') {
      const auto close = line.find('\'', i + 1);
      word += line.substr(i + 1, close - i - 1);
      i = close;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// What `weir run` does with the line's flags.
RunResult run_command_line(const std::string& line) {
  const auto words = shell_words(line);
  REQUIRE(words.size() >= 6);
  REQUIRE(words[0] == "weir");
  REQUIRE(words[1] == "run");
  REQUIRE(words[2] == "--scenario");
  REQUIRE(words[4] == "--seed");
  Scenario scenario = std::filesystem::exists(words[3]) ? Scenario::from_file(words[3]) : Scenario::builtin(words[3]);
  for (std::size_t i = 6; i + 1 < words.size(); i += 2) {
    REQUIRE(words[i] == "--set");
    scenario = scenario.set(words[i + 1]);
  }
  return scenario.run(std::stoull(words[5]));
}

}  // namespace

TEST_CASE("a built-in scenario runs with a seed: violations, trace hash, the same twice", "[scenario]") {
  const Scenario scenario = small("baseline-classic");
  const RunResult first = scenario.run(7);
  const RunResult second = scenario.run(7);
  CHECK(first.violations.empty());
  CHECK(first.exit_code() == exit_code::ok);
  CHECK(first.trace_hash != 0);
  CHECK(first.trace_hash == second.trace_hash);
  CHECK(first.events == second.events);
  CHECK(scenario.run(8).trace_hash != first.trace_hash);
  CHECK(first.counters.at("samples_acked") > 0);
}

TEST_CASE("a planted knob set through the library fails with its violation", "[scenario]") {
  const RunResult result = small("baseline-diskless").set("log.diskless.ack_before_commit=true").run(0);
  REQUIRE(result.exit_code() == exit_code::safety_failed);
  CHECK_FALSE(result.violations.empty());
  CHECK(result.reproduce_command().find("--set log.diskless.ack_before_commit=true") != std::string::npos);
}

TEST_CASE("bad names, files, specs and overrides throw the command line's one-line message", "[scenario]") {
  CHECK_THROWS_WITH(Scenario::builtin("no-such"), Catch::Contains("unknown built-in scenario 'no-such'"));
  CHECK_THROWS_WITH(Scenario::builtin("rpc-chaos"), Catch::Contains("built-in scenario 'rpc-chaos' has no spec"));
  CHECK_THROWS_WITH(Scenario::from_file("/nonexistent/x.textproto"), Catch::Contains("cannot read"));
  CHECK_THROWS_WITH(Scenario::from_text("log { partitionz: 3 }", "mine.textproto"), Catch::Contains("mine.textproto:1:"));
  CHECK_THROWS_WITH(small("baseline-classic").set("log.partitions=0"), Catch::Contains("log.partitions: must be at least 1"));
}

TEST_CASE("a scenario built in code runs, and saved as a file it reproduces by its line", "[scenario]") {
  pb::ScenarioSpec spec;
  spec.set_name("from-code");
  spec.mutable_log()->set_flavour(pb::DISKLESS);
  spec.mutable_log()->set_partitions(2);
  spec.mutable_workload()->set_series_per_client(10);
  spec.mutable_phases()->set_safety_ms(20'000);
  spec.mutable_phases()->set_drain_ms(20'000);
  Scenario scenario = Scenario::from_spec(spec).set("knobs.ingester.commit_interval_ms=500");
  CHECK(scenario.options().log.flavour == LogFlavour::diskless);
  CHECK_FALSE(scenario.reproducible_by_name());
  const RunResult result = scenario.run(3);
  CHECK(result.scenario == "from-code");

  const std::string path = (std::filesystem::temp_directory_path() / "weir-scenario-test.textproto").string();
  scenario.save_spec(path);
  CHECK(scenario.reproducible_by_name());
  const RunResult again = run_command_line(scenario.reproduce_command(3));
  CHECK(again.trace_hash == result.trace_hash);
  std::remove(path.c_str());
}

TEST_CASE("with_faults runs exactly the given schedule, and its line reproduces the run", "[scenario]") {
  const std::vector<ScheduledFault> schedule = {
      {FaultKind::ingester_kill, sim::Duration::milliseconds(7'250), sim::Duration::seconds(3), 1, 0},
      {FaultKind::broker_crash, sim::Duration::seconds(11), sim::Duration::milliseconds(2'500), 0, 0},
  };
  const Scenario scenario = small("chaos-classic").with_faults(schedule);
  const RunResult result = scenario.run(5);
  REQUIRE(result.fault_schedule.size() == 2);
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    CHECK(result.fault_schedule[i].kind == schedule[i].kind);
    CHECK(result.fault_schedule[i].at == schedule[i].at);
    CHECK(result.fault_schedule[i].duration == schedule[i].duration);
  }
  CHECK(result.faults.size() == 2);
  const RunResult again = run_command_line(result.reproduce_command());
  CHECK(again.trace_hash == result.trace_hash);
  CHECK(again.exit_code() == result.exit_code());
}

TEST_CASE("a swarm run's concrete schedule, run as scheduled faults, applies the same faults", "[scenario]") {
  const Scenario swarm = small("chaos-diskless");
  const RunResult drawn = swarm.run(11);
  REQUIRE_FALSE(drawn.fault_schedule.empty());
  const RunResult scheduled = swarm.with_faults(drawn.fault_schedule).run(11);
  REQUIRE(scheduled.fault_schedule.size() == drawn.fault_schedule.size());
  for (std::size_t i = 0; i < drawn.fault_schedule.size(); ++i) {
    CHECK(scheduled.fault_schedule[i].kind == drawn.fault_schedule[i].kind);
    CHECK(scheduled.fault_schedule[i].target == drawn.fault_schedule[i].target);
    CHECK(scheduled.fault_schedule[i].magnitude == drawn.fault_schedule[i].magnitude);
    // The spec counts milliseconds; the swarm draws finer.
    CHECK((drawn.fault_schedule[i].at - scheduled.fault_schedule[i].at) < sim::Duration::milliseconds(1));
  }
}
