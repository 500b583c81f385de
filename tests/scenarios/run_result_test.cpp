#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "weir/scenarios/run_result.h"

using weir::scenarios::RunResult;

TEST_CASE("exit codes follow the contract", "[run_result]") {
  RunResult r;
  CHECK(r.exit_code() == 0);
  r.violations.push_back({"liveness", "lag stayed above 1 s"});
  CHECK(r.exit_code() == 2);
  r.violations.push_back({"no_lost_acked_samples", "sample (7, 1000) of write 3 missing in zone-b"});
  CHECK(r.exit_code() == 1);
  r.simulator_error = "exception in fiber";
  CHECK(r.exit_code() == 3);
}

TEST_CASE("the JSON line carries the documented fields", "[run_result]") {
  RunResult r;
  r.scenario = "rpc-chaos";
  r.seed = 17;
  r.trace_hash = 0xabcdef;
  r.sim_seconds = 12.5;
  r.events = 99;
  r.violations.push_back({"liveness", "node x silent"});
  const auto j = nlohmann::json::parse(weir::scenarios::to_json(r));
  CHECK(j.at("scenario") == "rpc-chaos");
  CHECK(j.at("seed") == 17);
  CHECK(j.at("trace_hash") == "0000000000abcdef");
  CHECK(j.at("sim_seconds") == 12.5);
  CHECK(j.contains("wall_seconds"));
  CHECK(j.at("events") == 99);
  CHECK(j.at("violations").size() == 1);
  CHECK(j.at("violations")[0].at("property") == "liveness");
  CHECK(j.at("violations")[0].at("message") == "node x silent");
}

TEST_CASE("a failing verdict prints the line that reproduces it", "[run_result]") {
  RunResult r;
  r.scenario = "rpc-chaos";
  r.seed = 5;
  CHECK(weir::scenarios::to_text(r).find("reproduce") == std::string::npos);
  r.violations.push_back({"no_lost_acked_writes", "put 3 lost"});
  const std::string text = weir::scenarios::to_text(r);
  CHECK(text.find("FAIL (safety)") != std::string::npos);
  CHECK(text.find("put 3 lost") != std::string::npos);
  CHECK(text.find("reproduce: weir run --scenario rpc-chaos --seed 5") != std::string::npos);
  CHECK(text.find("shrink:") == std::string::npos);  // no faults, nothing to shrink
}

TEST_CASE("a failure under faults also prints the line that shrinks them", "[run_result]") {
  RunResult r;
  r.scenario = "chaos-classic";
  r.seed = 9;
  r.overrides = {"log.partitions=2"};
  r.faults = {"t=12.5s broker_crash kafka-broker-1 for 8.0s"};
  CHECK(weir::scenarios::to_text(r).find("shrink:") == std::string::npos);  // it passed
  r.violations.push_back({"no_lost_acked_samples", "write 3 lost"});
  const std::string text = weir::scenarios::to_text(r);
  CHECK(text.find("shrink: weir shrink --scenario chaos-classic --seed 9 --set log.partitions=2\n") != std::string::npos);
}

TEST_CASE("a run says what each property judged, and a vacuous one is no pass", "[run_result][evidence]") {
  RunResult r;
  r.scenario = "baseline-classic";
  r.checked = {{"no_lost_acked_samples", 600}, {"read_after_write", 0}};
  CHECK(r.exit_code() == 0);
  CHECK(r.vacuous() == std::vector<std::string>{"read_after_write"});
  const std::string text = weir::scenarios::to_text(r);
  CHECK(text.rfind("VACUOUS scenario=baseline-classic", 0) == 0);
  CHECK(text.find("  checked no_lost_acked_samples: 600 acked samples x zones\n") != std::string::npos);
  CHECK(text.find("  checked read_after_write: 0 strong reads (vacuous: judged nothing)\n") != std::string::npos);
  const auto j = nlohmann::json::parse(weir::scenarios::to_json(r));
  CHECK(j.at("checked").at("no_lost_acked_samples") == 600);
  CHECK(j.at("vacuous") == nlohmann::json::array({"read_after_write"}));
  r.checked["read_after_write"] = 25;
  CHECK(weir::scenarios::to_text(r).rfind("PASS", 0) == 0);
  CHECK(nlohmann::json::parse(weir::scenarios::to_json(r)).at("vacuous").empty());
}

TEST_CASE("too few observations fail the run with exit code 2", "[run_result][evidence]") {
  RunResult r;
  r.violations.push_back({"min_observations", "read_after_write judged 3 strong reads, the scenario requires at least 20"});
  CHECK(r.exit_code() == 2);
}

TEST_CASE("a run expected to fail exits 0 when it fails through the expected properties only", "[run_result][expect]") {
  RunResult r;
  r.expected.fail = true;
  r.expected.properties = {"no_lost_acked_samples", "identical_ordering"};
  CHECK(r.exit_code() == weir::scenarios::exit_code::expected_failure_missing);
  CHECK_FALSE(r.failed_as_expected());
  r.violations.push_back({"no_lost_acked_samples", "sample (7, 1000) of write 3 missing in zone-b"});
  CHECK(r.exit_code() == 0);
  CHECK(r.verdict_code() == 1);
  CHECK(r.failed_as_expected());
  CHECK(weir::scenarios::to_text(r).rfind("FAIL (as expected)", 0) == 0);
  r.violations.push_back({"liveness", "lag stayed above 1 s"});
  CHECK(r.exit_code() == 1);  // a property the scenario does not expect to fail
  CHECK_FALSE(r.failed_as_expected());
  r.violations.pop_back();
  r.simulator_error = "exception in fiber";
  CHECK(r.exit_code() == 3);
}

TEST_CASE("an expected failure with no property list accepts any property", "[run_result][expect]") {
  RunResult r;
  r.expected.fail = true;
  r.violations.push_back({"liveness", "lag stayed above 1 s"});
  CHECK(r.exit_code() == 0);
  CHECK(r.expected.describe() == "FAIL");
  r.expected.properties = {"liveness", "gapless_replay"};
  CHECK(r.expected.describe() == "FAIL (liveness, gapless_replay)");
  const auto j = nlohmann::json::parse(weir::scenarios::to_json(r));
  CHECK(j.at("expect").at("verdict") == "FAIL");
  CHECK(j.at("expect").at("properties").size() == 2);
  CHECK(j.at("exit_code") == 0);
}
