// Scenario: the library's way into weir, for a user's own tests. A pipeline
// scenario (a built-in spec, a spec file, spec text, or a ScenarioSpec built
// in code) with `--set` overrides, run with a seed.
//
//   auto scenario = Scenario::builtin("chaos-classic")
//                       .set("knobs.ingester.commit_before_wal_fsync=true");
//   RunResult result = scenario.run(42);
//   CHECK(result.violations.empty());  // else result.reproduce_command()
//
// A bad name, file, spec or override throws ScenarioError with the one-line
// message the command line prints. A Scenario is a plain value: set() and
// with_faults() return changed copies; run() is const and builds its own
// Simulation, so one Scenario may run in several threads at once.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "weir/scenarios/fault_plan.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/scenarios/trace_run.h"

namespace weir::scenarios {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Scenario {
 public:
  // A spec of scenarios/builtin/ by name (`weir scenarios` lists them).
  static Scenario builtin(const std::string& name);
  // A .textproto spec file.
  static Scenario from_file(const std::string& path);
  // Spec text; `file` is the name errors and the reproduction line use.
  static Scenario from_text(std::string_view text, std::string_view file = "inline.textproto");
  // A spec built in code; `file` as for from_text.
  static Scenario from_spec(const pb::ScenarioSpec& spec, std::string_view file = "inline.textproto");
  // A loader's spec, source and overrides (as the command line resolves them).
  static Scenario from_loader(const ScenarioLoader& loader);

  // A copy with one more `PATH=VALUE` override, e.g. "log.partitions=2".
  Scenario set(std::string_view assignment) const;
  // A copy whose faults are exactly `schedule` (swarm off, scheduled faults
  // replaced), expressed as overrides so the reproduction line carries them.
  Scenario with_faults(const std::vector<ScheduledFault>& schedule) const;

  // Runs one seed. The result names this scenario's source and overrides,
  // so result.reproduce_command() is the `weir run` line for it.
  RunResult run(std::uint64_t seed, const RunHooks& hooks = {}) const;
  // The same run, also recorded as a trace file at `path`.
  TracedRun run_traced(std::uint64_t seed, const std::string& path) const;

  // True when the source is a built-in's name or an existing file, so that
  // reproduce_command() works as it stands; otherwise save_spec() first.
  bool reproducible_by_name() const;
  // "weir run --scenario SOURCE --seed N --set ...".
  std::string reproduce_command(std::uint64_t seed) const;
  // Writes the base spec (before overrides) to `path` and makes it this
  // scenario's source; for scenarios built from text or code.
  void save_spec(const std::string& path);

  const PipelineOptions& options() const { return options_; }
  const ScenarioLoader& loader() const { return loader_; }
  const std::string& source() const { return source_; }
  const std::vector<std::string>& overrides() const { return loader_.overrides(); }

 private:
  explicit Scenario(ScenarioLoader loader, std::string base_spec_text);

  ScenarioLoader loader_;
  std::string source_;          // a built-in's name or a spec file
  std::string base_spec_text_;  // the spec as loaded, for save_spec()
  PipelineOptions options_;     // loader_.options(), kept
};

}  // namespace weir::scenarios
