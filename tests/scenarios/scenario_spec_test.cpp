// Scenario specs: syntax errors carry FILE:LINE:COL, bad values name their
// field path, --set overrides go through reflection, and every built-in spec
// loads, validates and matches its file under scenarios/builtin/.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "weir/scenarios/builtin.h"
#include "weir/scenarios/builtin_specs.h"
#include "weir/scenarios/scenario_spec.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

bool contains(const std::optional<std::string>& error, const std::string& part) {
  return error && error->find(part) != std::string::npos;
}

ScenarioLoader loaded(const std::string& text) {
  ScenarioLoader loader;
  const auto error = loader.parse(text, "spec.textproto");
  INFO(error.value_or(""));
  REQUIRE_FALSE(error);
  return loader;
}

}  // namespace

TEST_CASE("spec syntax errors name the file, line and column", "[scenario_spec]") {
  ScenarioLoader loader;
  const auto unknown = loader.parse("name: \"x\"\nlog {\n  partitionz: 3\n}\n", "my.textproto");
  CHECK(contains(unknown, "my.textproto:3:"));
  CHECK(contains(unknown, "partitionz"));
  const auto bad_enum = loader.parse("log { flavour: KAFKA }", "e.textproto");
  CHECK(contains(bad_enum, "e.textproto:1:"));
  CHECK(contains(bad_enum, "KAFKA"));
  const auto bad_value = loader.parse("\n\nworkload { series_per_client: lots }", "v.textproto");
  CHECK(contains(bad_value, "v.textproto:3:"));
  CHECK(loader.parse("phases { safety_ms: 1", "t.textproto").value().rfind("t.textproto:1:", 0) == 0);
}

TEST_CASE("spec value errors name the field path", "[scenario_spec]") {
  ScenarioLoader loader;
  CHECK(contains(loader.parse("log { partitions: 0 }", "f"), "log.partitions: must be at least 1"));
  CHECK(contains(loader.parse("phases { drain_ms: -5 }", "f"), "phases.drain_ms:"));
  CHECK(contains(loader.parse("faults { fault { kind: \"ingester_kill\" at_ms: 1 duration_ms: 1 }\n"
                              "fault { kind: \"ingester_kill\" at_ms: 1 duration_ms: 1 }\n"
                              "fault { kind: \"foo\" } }", "f"),
                 "faults.fault[2].kind: unknown fault kind 'foo'"));
  CHECK(contains(loader.parse("faults { swarm { kinds: \"bar\" } }", "f"), "faults.swarm.kinds[0]: unknown fault kind 'bar'"));
  CHECK(contains(loader.parse("phases { safety_ms: 30000 } faults { fault { kind: \"ingester_kill\" at_ms: 25000 "
                              "duration_ms: 10000 } }", "f"),
                 "faults.fault[0]"));
  CHECK(contains(loader.parse("ingester_zones: \"zone-x\"", "f"), "ingester_zones[0]: zone 'zone-x'"));
  CHECK(contains(loader.parse("expect { verdict: FAIL properties: \"no_lost\" }", "f"),
                 "expect.properties[0]: unknown property 'no_lost'"));
  CHECK(contains(loader.parse("expect { properties: \"liveness\" }", "f"), "expect.properties: only a FAIL verdict"));
  CHECK(contains(loader.parse("faults { fault { kind: \"broker_process_kill\" at_ms: 1 duration_ms: 1 magnitude: 0.5 } }", "f"),
                 "faults.fault[0] (broker_process_kill): magnitude: must be a whole number of nodes in [1, 64]"));
  CHECK(contains(loader.parse("log { classic { min_insync_replicas: 4 } }", "f"), "log.classic:"));
  CHECK(contains(loader.parse("log { classic { segment_bytes: 0 } }", "f"), "log.classic.segment_bytes: must be at least 1"));
  CHECK(contains(loader.parse("log { classic { retention_ms: -1 } }", "f"), "log.classic.retention_ms: must be in"));
  CHECK(contains(loader.parse("log { classic { retention_check_interval_ms: 0 } }", "f"),
                 "log.classic.retention_check_interval_ms: must be at least 1"));
}

TEST_CASE("the classic log's segment and retention fields reach its options", "[scenario_spec]") {
  const LoadedScenario keep = loaded("").options();
  CHECK(keep.pipeline.log.classic.segment_bytes == std::uint64_t{1} << 30);
  CHECK(keep.pipeline.log.classic.retention == sim::Duration());
  CHECK(keep.pipeline.log.classic.retention_check_interval == sim::Duration::seconds(300));
  const LoadedScenario short_retention =
      loaded("log { classic { segment_bytes: 65536 retention_ms: 20000 retention_check_interval_ms: 5000 } }")
          .options();
  CHECK(short_retention.pipeline.log.classic.segment_bytes == 65536);
  CHECK(short_retention.pipeline.log.classic.retention == sim::Duration::seconds(20));
  CHECK(short_retention.pipeline.log.classic.retention_check_interval == sim::Duration::seconds(5));
}

TEST_CASE("fields left out of a spec keep the C++ defaults", "[scenario_spec]") {
  const LoadedScenario empty = loaded("").options();
  const PipelineOptions defaults;
  CHECK(empty.pipeline.log.partitions == defaults.log.partitions);
  CHECK(empty.pipeline.write_phase == defaults.write_phase);
  CHECK(empty.pipeline.log.classic.min_insync_replicas == 2);
  CHECK(empty.pipeline.checks.enabled.liveness);
  CHECK_FALSE(empty.pipeline.checks.staleness_bound);
  CHECK_FALSE(empty.pipeline.faults.swarm.enabled);
}

TEST_CASE("an override (--set) replaces a scalar by its path", "[scenario_spec]") {
  ScenarioLoader loader = loaded("log { flavour: CLASSIC }");
  CHECK_FALSE(loader.set("knobs.ingester.commit_before_wal_fsync=true"));
  CHECK_FALSE(loader.set("log.classic.min_insync_replicas=1"));
  CHECK_FALSE(loader.set("faults.swarm.enabled=1"));
  CHECK_FALSE(loader.set("log.flavour=diskless"));
  CHECK_FALSE(loader.set("phases.safety_ms=90000"));
  CHECK_FALSE(loader.set("faults.swarm.kind_probability=0.25"));
  const PipelineOptions o = loader.options().pipeline;
  CHECK(o.ingester.commit_before_wal_fsync);
  CHECK(o.log.classic.min_insync_replicas == 1);
  CHECK(o.faults.swarm.enabled);
  CHECK(o.faults.swarm.kind_probability == 0.25);
  CHECK(o.log.flavour == LogFlavour::diskless);
  CHECK(o.write_phase == sim::Duration::seconds(90));
  CHECK(loader.overrides().size() == 6);
}

TEST_CASE("an override (--set) refuses bad paths and values, naming them, and keeps the spec", "[scenario_spec]") {
  ScenarioLoader loader = loaded("log { partitions: 4 }");
  CHECK(contains(loader.set("log.partitionz=3"), "log has no field 'partitionz'"));
  CHECK(contains(loader.set("nope.x=3"), "the spec has no field 'nope'"));
  CHECK(contains(loader.set("log.partitions=many"), "log.partitions: 'many' is not a int32"));
  CHECK(contains(loader.set("log.partitions=0"), "log.partitions: must be at least 1"));
  CHECK(contains(loader.set("log.flavour=kafka"), "CLASSIC|DISKLESS"));
  CHECK(contains(loader.set("knobs.ingester.commit_before_wal_fsync=maybe"), "is not a bool"));
  CHECK(contains(loader.set("log.zones=zone-a"), "repeated"));
  CHECK(contains(loader.set("knobs.ingester=1"), "a message takes a value in braces"));
  CHECK(contains(loader.set("log.partitions.x=1"), "log.partitions has no fields"));
  CHECK(contains(loader.set("log.partitions"), "expected PATH=VALUE"));
  CHECK(loader.options().pipeline.log.partitions == 4);
  CHECK(loader.overrides().empty());
}

TEST_CASE("an override reaches repeated fields: by index, appending, as a list, as a message", "[scenario_spec]") {
  ScenarioLoader loader = loaded(R"(faults { fault { kind: "broker_crash" at_ms: 10000 duration_ms: 2000 } })");
  REQUIRE_FALSE(loader.set("faults.fault[0].kind=ingester_kill"));
  REQUIRE_FALSE(loader.set(R"(faults.fault[1]={kind: "zone_partition" at_ms: 20000 duration_ms: 3000 target: 2})"));
  // Each override is validated on its own: an element appended field by field
  // would be an invalid fault until its last field, so it comes whole.
  CHECK(contains(loader.set("faults.fault[2].kind=network_drop"), "faults.fault[2]"));
  REQUIRE_FALSE(loader.set(R"(faults.fault[2]={kind: "network_drop" at_ms: 30000 duration_ms: 2000})"));
  REQUIRE_FALSE(loader.set("faults.fault[2].duration_ms=1000"));
  auto faults = loader.options().pipeline.faults.faults;
  REQUIRE(faults.size() == 3);
  CHECK(faults[0].kind == FaultKind::ingester_kill);
  CHECK(faults[0].at == sim::Duration::seconds(10));
  CHECK(faults[1].kind == FaultKind::zone_partition);
  CHECK(faults[1].target == 2);
  CHECK(faults[2].kind == FaultKind::network_drop);
  CHECK(faults[2].duration == sim::Duration::seconds(1));

  REQUIRE_FALSE(loader.set("faults.fault=[]"));
  CHECK(loader.options().pipeline.faults.faults.empty());
  REQUIRE_FALSE(loader.set(R"(faults.fault=[{kind: "disk_slow" at_ms: 6000 duration_ms: 1000}, {kind: "ingester_stop" at_ms: 9000 duration_ms: 1000}])"));
  faults = loader.options().pipeline.faults.faults;
  REQUIRE(faults.size() == 2);
  CHECK(faults[1].kind == FaultKind::ingester_stop);

  REQUIRE_FALSE(loader.set(R"(log.zones=["zone-a", "zone-b", "zone-c", "zone-d"])"));
  REQUIRE_FALSE(loader.set("log.zones[3]=zone-e"));
  CHECK(loader.options().pipeline.log.zones == std::vector<std::string>{"zone-a", "zone-b", "zone-c", "zone-e"});

  // A string takes any text, braces and brackets included.
  REQUIRE_FALSE(loader.set("description=[WIP] {a variant}"));
  CHECK(loader.spec().description() == "[WIP] {a variant}");

  // A message in braces replaces the whole message: fields left out return to their defaults.
  REQUIRE_FALSE(loader.set("knobs.ingester.commit_interval_ms=300"));
  REQUIRE_FALSE(loader.set("knobs.ingester={commit_before_wal_fsync: true}"));
  CHECK(loader.spec().knobs().ingester().commit_before_wal_fsync());
  CHECK_FALSE(loader.spec().knobs().ingester().has_commit_interval_ms());
  CHECK(loader.overrides().size() == 11);
}

TEST_CASE("a bad override of a repeated field names the problem and keeps the spec", "[scenario_spec]") {
  ScenarioLoader loader = loaded(R"(faults { fault { kind: "broker_crash" at_ms: 10000 duration_ms: 2000 } })");
  CHECK(contains(loader.set("faults.fault[2].kind=ingester_kill"), "faults.fault[2]: past the end (faults.fault has 1 elements; [1] appends)"));
  CHECK(contains(loader.set("faults.fault.kind=ingester_kill"), "elements are reached by index, faults.fault[0]"));
  CHECK(contains(loader.set("faults.fault[x].kind=ingester_kill"), "an index is a number from 0"));
  CHECK(contains(loader.set("faults.fault[-1].kind=ingester_kill"), "an index is a number from 0"));
  CHECK(contains(loader.set("faults.fault[0.kind=ingester_kill"), "an index is written [N]"));
  CHECK(contains(loader.set("log.partitions[0]=3"), "log.partitions: not a repeated field"));
  CHECK(contains(loader.set("faults.fault[0]={kind: }"), "does not parse (column"));
  CHECK(contains(loader.set("faults.fault[0]={kynd: \"x\"}"), "does not parse"));
  CHECK(contains(loader.set("faults.fault[0]={kind: \"no_such_fault\" at_ms: 1000 duration_ms: 10}"), "unknown fault kind 'no_such_fault'"));
  CHECK(contains(loader.set("faults.fault={kind: \"broker_crash\"}"), "only a message takes a value in braces"));
  CHECK(contains(loader.set("log.partitions=[3]"), "'[3]' is not a int32"));
  CHECK(contains(loader.set("faults.fault[0]=[]"), "only a whole repeated field takes a list"));
  // More text after the value would set more fields or elements: refused.
  CHECK(contains(loader.set("knobs.ingester={} query_frontend {max_retries: 2}"), "holds more than one value"));
  CHECK(contains(loader.set(R"(faults.fault[0]={kind: "broker_crash" at_ms: 1000 duration_ms: 10} fault {kind: "broker_crash" at_ms: 2000 duration_ms: 10})"), "holds more than one value"));
  CHECK(contains(loader.set("name=\xff\xfe"), "name: not valid UTF-8"));
  CHECK(contains(loader.set("log.zones=[\"zone-\xc0\xaf\"]"), "not valid UTF-8"));
  const auto faults = loader.options().pipeline.faults.faults;
  REQUIRE(faults.size() == 1);
  CHECK(faults[0].kind == FaultKind::broker_crash);
  CHECK(loader.overrides().empty());
}

TEST_CASE("every built-in spec loads, validates and is listed", "[scenario_spec]") {
  REQUIRE(builtin_spec_texts().size() == 17);
  for (const char* flavour : {"classic", "diskless"}) {
    for (const char* kind : {"baseline", "ingester-crash", "broker-loss", "az-partition", "slow-storage", "chaos"}) {
      const std::string name = std::string(kind) + "-" + flavour;
      INFO(name);
      ScenarioLoader loader;
      CHECK_FALSE(loader.load(name));
      const LoadedScenario s = loader.options();
      CHECK(s.pipeline.name == name);
      CHECK(weir::scenarios::to_string(s.pipeline.log.flavour) == std::string(flavour));
      CHECK_FALSE(s.description.empty());
      CHECK_FALSE(s.pipeline.validate());
      CHECK(find_builtin(name) != nullptr);
    }
  }
}

TEST_CASE("a built-in round-trips: embedded text, file and printed spec agree", "[scenario_spec]") {
  namespace gpb = google::protobuf;
  for (const BuiltinSpecText& builtin : builtin_spec_texts()) {
    INFO(builtin.name);
    std::ifstream in(std::string(WEIR_TESTDATA_DIR) + "/../../scenarios/builtin/" + std::string(builtin.name) +
                     ".textproto");
    std::ostringstream file;
    file << in.rdbuf();
    CHECK(file.str() == builtin.text);
    ScenarioLoader from_file = loaded(file.str());
    std::string printed;
    REQUIRE(gpb::TextFormat::PrintToString(from_file.spec(), &printed));
    ScenarioLoader reparsed = loaded(printed);
    CHECK(gpb::util::MessageDifferencer::Equals(from_file.spec(), reparsed.spec()));
    // The same options: a run of each gives the same trace.
    PipelineOptions a = from_file.options().pipeline;
    PipelineOptions b = reparsed.options().pipeline;
    if (builtin.name.rfind("baseline-", 0) == 0) {
      a.write_phase = b.write_phase = sim::Duration::seconds(30);
      CHECK(run_pipeline(a, 3).trace_hash == run_pipeline(b, 3).trace_hash);
    }
  }
}

TEST_CASE("a --set changes the run; the same spec and seed give the same trace", "[scenario_spec]") {
  ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-classic"));
  REQUIRE_FALSE(loader.set("phases.safety_ms=30000"));
  const auto before = run_pipeline(loader.options().pipeline, 4);
  CHECK(before.trace_hash == run_pipeline(loader.options().pipeline, 4).trace_hash);
  REQUIRE_FALSE(loader.set("knobs.ingester.commit_interval_ms=300"));
  CHECK(before.trace_hash != run_pipeline(loader.options().pipeline, 4).trace_hash);
}

TEST_CASE("schedule_overrides replace a spec's faults with a schedule, read back the same", "[scenario_spec]") {
  ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("chaos-classic"));
  REQUIRE(loader.options().pipeline.faults.swarm.enabled);
  const std::vector<ScheduledFault> schedule = {
      {FaultKind::ingester_kill, sim::Duration::milliseconds(7'250), sim::Duration::seconds(3), 1, 0},
      {FaultKind::network_drop, sim::Duration::seconds(20), sim::Duration::milliseconds(1'500), 0, 0.125},
  };
  const auto overrides = schedule_overrides(schedule);
  REQUIRE(overrides.size() == 4);
  CHECK(overrides[2] == R"(faults.fault[0]={kind: "ingester_kill" at_ms: 7250 duration_ms: 3000 target: 1})");
  for (const auto& assignment : overrides) REQUIRE_FALSE(loader.set(assignment));
  const FaultPlan plan = loader.options().pipeline.faults;
  CHECK_FALSE(plan.swarm.enabled);
  REQUIRE(plan.faults.size() == 2);
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    CHECK(plan.faults[i].kind == schedule[i].kind);
    CHECK(plan.faults[i].at == schedule[i].at);
    CHECK(plan.faults[i].duration == schedule[i].duration);
    CHECK(plan.faults[i].target == schedule[i].target);
    CHECK(plan.faults[i].magnitude == schedule[i].magnitude);
  }
}

TEST_CASE("a spec turns exact resume off and sets its minimum like every property", "[scenario_spec]") {
  ScenarioLoader loader = loaded("properties { checks { exact_resume: false } min_observations { exact_resume: 3 } }");
  const weir::properties::CheckOptions& checks = loader.options().pipeline.checks;
  CHECK_FALSE(checks.enabled.exact_resume);
  CHECK(checks.min_observations.exact_resume == 3);
  CHECK(loaded("").options().pipeline.checks.enabled.exact_resume);  // on by default
}

TEST_CASE("a spec sets minimum observations per property, and a run below them fails with exit code 2",
          "[scenario_spec][evidence]") {
  ScenarioLoader loader = loaded("properties { min_observations { read_after_write: 20 no_lost_acked_samples: 5 } }");
  const weir::properties::MinObservations& min = loader.options().pipeline.checks.min_observations;
  CHECK(min.read_after_write == 20);
  CHECK(min.no_lost_acked_samples == 5);
  CHECK(min.gapless_replay == 0);
  CHECK(contains(loader.parse("properties { min_observations { liveness: -1 } }", "m.textproto"), "m.textproto:1:"));

  // A baseline run judges some strong reads, but not a million of them.
  ScenarioLoader strict;
  REQUIRE_FALSE(strict.load("baseline-classic"));
  REQUIRE_FALSE(strict.set("properties.min_observations.read_after_write=1000000"));
  const RunResult r = run_pipeline(strict.options().pipeline, 0);
  CHECK(r.exit_code() == exit_code::liveness_failed);
  REQUIRE_FALSE(r.violations.empty());
  CHECK(r.violations.back().property == "min_observations");
  CHECK(r.violations.back().message.find("read_after_write judged ") == 0);
  CHECK(r.violations.back().message.find("the scenario requires at least 1000000") != std::string::npos);
}
