// RunResult: the verdict of one simulation run, as the CLI and the library
// report it.
//
// Exit codes (the command-line contract): 0 all properties hold, 1 a safety
// property failed, 2 only liveness properties failed, 3 the simulator itself
// failed (an exception in model code, a livelock bound), 4 the run passed but
// its scenario expects it to fail (Expectation). A run that fails as its
// scenario expects exits 0.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/violation.h"
#include "weir/scenarios/fault_plan.h"

namespace weir::scenarios {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int safety_failed = 1;
inline constexpr int liveness_failed = 2;
inline constexpr int simulator_failed = 3;
inline constexpr int expected_failure_missing = 4;
inline constexpr int bad_usage = 64;
inline constexpr int bad_input = 65;
}  // namespace exit_code

// What a scenario expects of its runs. Most expect every run to pass; a
// hazard scenario (faults past the system's budget) expects each run to fail
// through the listed properties, and only those.
struct Expectation {
  bool fail = false;
  std::vector<std::string> properties;  // with fail: the properties that may fail; empty: any

  // "FAIL (no_lost_acked_samples, identical_ordering)", or "PASS".
  std::string describe() const;
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  double sim_seconds = 0;
  double wall_seconds = 0;
  std::uint64_t events = 0;
  std::vector<properties::Violation> violations;
  // What each enabled property judged: property -> observations (units in
  // properties::judged_unit). A property at 0 is vacuous: it neither failed
  // nor passed.
  std::map<std::string, std::uint64_t> checked;
  std::string simulator_error;  // non-empty: the run itself failed
  // Non-empty: a second run of the same seed differed (a sweep's recheck).
  std::string nondeterminism;
  // What the run did, by name (writes_acked, samples_acked, reads_ok, ...).
  std::map<std::string, std::uint64_t> counters;
  // What the run measured, by name, unit last (write_ack_latency_p99_ms,
  // cross_zone_bytes.produce, ...; measures.h lists them). Deterministic.
  std::map<std::string, double> measures;
  // How the scenario was given on the command line, when not by its name:
  // the spec file, and the --set overrides (PATH=VALUE) in order.
  std::string scenario_source;
  std::vector<std::string> overrides;
  // The faults applied, in order: "t=12.5s broker_crash kafka-broker-1 for 8.0s".
  std::vector<std::string> faults;
  // The run's concrete fault schedule: scheduled and swarm-drawn faults with
  // targets resolved and magnitudes defaulted, by time. Run as a scheduled
  // plan with the swarm off, it applies the same faults (`weir shrink` starts
  // from it). In-process only: a sweep's worker does not send it back.
  std::vector<ScheduledFault> fault_schedule;
  // Why the run's faults go past the log's fault budget (fault_budget.h);
  // empty when within it.
  std::string beyond_budget;
  Expectation expected;

  // The verdict judged against the expectation (see exit_code above).
  int exit_code() const;
  // The verdict alone: 0, 1, 2 or 3, whatever the scenario expects.
  int verdict_code() const;
  // True when the scenario expects a failure and the run failed as expected.
  bool failed_as_expected() const;
  // The enabled properties that judged nothing, by name.
  std::vector<std::string> vacuous() const;
  // "weir run --scenario NAME|FILE --seed N [--set PATH=VALUE]...": the line
  // that reproduces this run.
  std::string reproduce_command() const;
  // The same line with `weir shrink`: cuts the run's faults down to the few
  // that make its failure (a spec scenario's).
  std::string shrink_command() const;
};

// The result as one JSON object (one line), with the fields README.md lists.
std::string to_json(const RunResult& result);
// A readable verdict: status (VACUOUS instead of PASS when an enabled
// property judged nothing), what each property judged, violations with
// evidence, hash, reproduction line.
// `notes[i]`, when given, are lines printed under violation i (its story).
std::string to_text(const RunResult& result, const std::vector<std::vector<std::string>>& notes = {});
// One line per property, "<indent>checked read_after_write: 25 strong reads",
// marking the vacuous ones.
std::string checked_text(const std::map<std::string, std::uint64_t>& checked, std::string_view indent);

}  // namespace weir::scenarios
