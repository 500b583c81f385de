// ScenarioLoader: a pipeline scenario from its text-format spec
// (scenarios/proto/scenario.proto), with `--set PATH=VALUE` overrides, as
// PipelineOptions (with their FaultPlan).
//
// Use: load() a built-in name or a file (or parse() text), then set() each
// override, then options(). Each step validates the whole spec and returns
// an error message, or nothing: a syntax error reads "FILE:LINE:COL: message";
// a bad value names its field path ("log.partitions: must be at least 1",
// "faults.fault[2].kind: unknown fault kind 'foo'"). Fields left out of a
// spec keep the C++ defaults. The loader owns its spec; it is a plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/proto/scenario.pb.h"

namespace weir::scenarios {

struct LoadedScenario {
  std::string description;
  PipelineOptions pipeline;  // pipeline.faults: the spec's fault plan
};

class ScenarioLoader {
 public:
  // A built-in spec's name, else a path to a .textproto file.
  std::optional<std::string> load(const std::string& name_or_path);
  // `text` as the contents of a file called `file` (named in errors).
  std::optional<std::string> parse(std::string_view text, std::string_view file);
  // One "PATH=VALUE" override of a singular scalar field, e.g.
  // "knobs.ingester.commit_before_wal_fsync=true"; the spec is validated again.
  std::optional<std::string> set(std::string_view assignment);

  const pb::ScenarioSpec& spec() const { return spec_; }
  // Where the spec came from: a built-in's name, or the file path.
  const std::string& source() const { return source_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  // The spec as options; only meaningful after a successful load or parse.
  LoadedScenario options() const;

 private:
  pb::ScenarioSpec spec_;
  std::string source_;
  std::vector<std::string> overrides_;
};

// The overrides that replace a spec's faults with `schedule`: the swarm off,
// the scheduled list cleared, then `faults.fault[I]={kind: ... at_ms: ...}`
// per fault. The spec counts time in milliseconds: a time drawn finer (the
// swarm draws nanoseconds) is cut to the millisecond, so a caller that needs
// the exact run checks that it still behaves the same.
std::vector<std::string> schedule_overrides(const std::vector<ScheduledFault>& schedule);
// `schedule` as its overrides carry it: times cut to the millisecond, a
// duration of at least 1 ms.
std::vector<ScheduledFault> to_whole_ms(std::vector<ScheduledFault> schedule);

// Field-path checks and the options' own validate(), in that order.
std::optional<std::string> validate_spec(const pb::ScenarioSpec& spec);
// The conversion behind ScenarioLoader::options(); expects a valid spec.
LoadedScenario to_options(const pb::ScenarioSpec& spec);

}  // namespace weir::scenarios
