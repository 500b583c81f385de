// Recording a pipeline run to a trace and replaying it: the same seed gives
// the same events and hash; a changed recorded spec diverges and names the
// first differing event; the stored history checks offline to the same
// violations as the live run.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "weir/replay/trace_reader.h"
#include "weir/scenarios/trace_run.h"

namespace {

using weir::replay::TraceFile;
using weir::replay::TraceReader;
using weir::scenarios::ScenarioLoader;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("weir-replay-run-test-" + name)).string();
}

// baseline-diskless, shortened, with `overrides`.
ScenarioLoader scenario(const std::vector<std::string>& overrides = {}) {
  ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-diskless"));
  for (const auto& o : overrides) REQUIRE_FALSE(loader.set(o));
  return loader;
}

TraceFile read_back(const std::string& path) {
  auto read = TraceReader::read(path);
  if (const auto* error = std::get_if<std::string>(&read)) FAIL(*error);
  return std::get<TraceFile>(std::move(read));
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

TEST_CASE("a recorded run replays event for event with the same hash") {
  const std::string path = temp_path("roundtrip");
  const auto run = weir::scenarios::run_traced(scenario({"log.partitions=4"}), 3, path);
  REQUIRE_FALSE(run.error);
  const TraceFile file = read_back(path);
  CHECK(file.header.scenario == "baseline-diskless");
  CHECK(file.header.seed == 3);
  CHECK(file.header.overrides == std::vector<std::string>{"log.partitions=4"});
  CHECK(file.trace_hash == run.result.trace_hash);
  CHECK(file.events.size() > 1000);
  CHECK_FALSE(file.node_names.empty());
  // The footer records each node's zone from the simulation.
  REQUIRE(file.node_zones.size() == file.node_names.size());
  for (std::size_t id = 0; id < file.node_names.size(); ++id) {
    if (file.node_names[id] == "distributor-zone-a") CHECK(file.node_zones[id] == "zone-a");
    if (file.node_names[id].rfind("kafka", 0) == 0 || file.node_names[id].rfind("broker", 0) == 0) {
      CHECK_FALSE(file.node_zones[id].empty());
    }
  }

  const auto report = weir::scenarios::replay_trace(file);
  CHECK_FALSE(report.error);
  CHECK_FALSE(report.divergence);
  CHECK(report.ok());
  CHECK(report.replayed_hash == run.result.trace_hash);
  CHECK(report.events == file.events.size());

  // Same seed, same trace: the whole file is byte for byte the same.
  const std::string again = temp_path("roundtrip-again");
  REQUIRE_FALSE(weir::scenarios::run_traced(scenario({"log.partitions=4"}), 3, again).error);
  CHECK(bytes_of(path) == bytes_of(again));
  std::filesystem::remove(path);
  std::filesystem::remove(again);
}

TEST_CASE("a trace whose recorded spec was changed diverges at a named event") {
  const std::string path = temp_path("changed-spec");
  REQUIRE_FALSE(weir::scenarios::run_traced(scenario({"log.partitions=4"}), 1, path).error);
  TraceFile file = read_back(path);
  const auto at = file.header.scenario_spec_text.find("partitions: 4");
  REQUIRE(at != std::string::npos);
  file.header.scenario_spec_text.replace(at, 13, "partitions: 5");

  const auto report = weir::scenarios::replay_trace(file);
  REQUIRE_FALSE(report.error);
  REQUIRE(report.divergence);
  CHECK_FALSE(report.ok());
  const auto& d = *report.divergence;
  CHECK(d.index < file.events.size());
  // Every event before the divergence matched.
  CHECK(report.events > d.index);
  REQUIRE(d.recorded.present);
  REQUIRE(d.replayed.present);
  const auto& recorded = file.events[d.index];
  CHECK(d.recorded.time_ns == recorded.time_ns);
  CHECK(d.recorded.kind == file.kind_name(recorded));
  const auto lines = report.divergence_lines();
  REQUIRE(lines.size() == 2);
  const std::string index = "event " + std::to_string(d.index) + " t=";
  CHECK(lines[0].rfind("recorded: " + index, 0) == 0);
  CHECK(lines[1].rfind("replayed: " + index, 0) == 0);
  CHECK(lines[0].find(" kind " + d.recorded.kind) != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("a replay that stops early diverges at the end of the run") {
  const std::string path = temp_path("longer");
  REQUIRE_FALSE(weir::scenarios::run_traced(scenario({"log.partitions=2"}), 2, path).error);
  TraceFile file = read_back(path);
  const auto n = file.events.size();
  file.events.push_back(file.events.back());
  const auto report = weir::scenarios::replay_trace(file);
  REQUIRE(report.divergence);
  CHECK(report.divergence->index == n);
  CHECK_FALSE(report.divergence->replayed.present);
  CHECK(report.divergence_lines()[1] == "replayed: event " + std::to_string(n) + ": none (the run ended)");
  std::filesystem::remove(path);
}

TEST_CASE("the stored history checks offline to the live run's violations") {
  const std::string path = temp_path("planted");
  const auto run =
      weir::scenarios::run_traced(scenario({"log.diskless.ack_before_commit=true"}), 0, path);
  REQUIRE_FALSE(run.error);
  REQUIRE_FALSE(run.result.violations.empty());
  CHECK(run.result.violations.front().property == "identical_ordering");
  const auto check = weir::scenarios::check_trace(read_back(path));
  REQUIRE_FALSE(check.error);
  CHECK(check.violations == run.result.violations);

  const std::string clean = temp_path("clean");
  const auto clean_run = weir::scenarios::run_traced(scenario({"log.partitions=2"}), 0, clean);
  REQUIRE(clean_run.result.violations.empty());
  CHECK(weir::scenarios::check_trace(read_back(clean)).violations.empty());
  std::filesystem::remove(path);
  std::filesystem::remove(clean);
}

TEST_CASE("a what-if replay names the first event a changed scenario does differently") {
  const std::string path = temp_path("what-if");
  REQUIRE_FALSE(weir::scenarios::run_traced(scenario({"log.partitions=2"}), 4, path).error);
  const TraceFile file = read_back(path);

  const auto changed = weir::scenarios::replay_trace(file, {"knobs.ingester.commit_interval_ms=300"});
  REQUIRE_FALSE(changed.error);
  REQUIRE_FALSE(changed.override_error);
  REQUIRE(changed.divergence);
  CHECK_FALSE(changed.ok());
  const auto& d = *changed.divergence;
  REQUIRE(d.index < file.events.size());
  REQUIRE(d.recorded.present);
  REQUIRE(d.replayed.present);
  CHECK(d.recorded.time_ns == file.events[d.index].time_ns);
  CHECK(d.recorded.kind == file.kind_name(file.events[d.index]));
  CHECK(changed.replayed_hash != file.trace_hash);
  // The same what-if twice: the same divergence and the same hash.
  const auto again = weir::scenarios::replay_trace(file, {"knobs.ingester.commit_interval_ms=300"});
  REQUIRE(again.divergence);
  CHECK(again.divergence->index == d.index);
  CHECK(again.divergence_lines() == changed.divergence_lines());
  CHECK(again.replayed_hash == changed.replayed_hash);

  // Setting the recorded values changes nothing.
  const auto same = weir::scenarios::replay_trace(file, {"log.partitions=2", "knobs.ingester.commit_interval_ms=1000"});
  CHECK(same.ok());
  CHECK(same.replayed_hash == file.trace_hash);

  // An override that does not apply is reported as such, and nothing runs.
  const auto bad = weir::scenarios::replay_trace(file, {"knobs.ingester.no_such_knob=true"});
  CHECK_FALSE(bad.error);
  REQUIRE(bad.override_error);
  CHECK(bad.override_error->find("no_such_knob") != std::string::npos);
  CHECK(bad.events == 0);
  CHECK_FALSE(bad.ok());
  std::filesystem::remove(path);
}
