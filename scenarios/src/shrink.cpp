#include "weir/scenarios/shrink.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>

#include <fmt/format.h>

#include "weir/replay/shrink.h"
#include "weir/scenarios/scenario.h"

namespace weir::scenarios {
namespace {

constexpr sim::Duration kDurationMin = sim::Duration::seconds(1);

// The seed run with `schedule` in place of the spec's faults; nothing when
// the overrides do not apply (then it is not a failure of the same kind).
std::optional<RunResult> run_schedule(const Scenario& base, std::uint64_t seed,
                                      const std::vector<ScheduledFault>& schedule, std::string* error) {
  try {
    return base.with_faults(schedule).run(seed);
  } catch (const ScenarioError& e) {
    if (error != nullptr) *error = e.what();
    return std::nullopt;
  }
}

bool decides(const properties::Violation& v, int code) {
  const bool safety = properties::property_kind(v.property) == properties::PropertyKind::safety;
  return safety == (code == exit_code::safety_failed);
}

}  // namespace

std::optional<std::string> ShrinkOptions::validate() const {
  if (runs_max < 2) return "runs_max: must be at least 2 (the seed's run and its rounded schedule's)";
  return std::nullopt;
}

int ShrinkReport::exit_code() const {
  switch (status) {
    case ShrinkStatus::passed:
      return exit_code::ok;
    case ShrinkStatus::not_reproducible:
      return exit_code::simulator_failed;
    case ShrinkStatus::shrunk:
      return final_run.exit_code();
  }
  return exit_code::simulator_failed;
}

bool same_failure(const RunResult& original, const RunResult& candidate) {
  const int code = original.exit_code();
  if (code == exit_code::ok || candidate.exit_code() != code) return false;
  if (code == exit_code::simulator_failed) return true;
  return std::any_of(candidate.violations.begin(), candidate.violations.end(), [&](const auto& v) {
    return decides(v, code) && std::any_of(original.violations.begin(), original.violations.end(),
                                           [&](const auto& o) { return o.property == v.property; });
  });
}

std::vector<ScheduledFault> simpler_faults(const ScheduledFault& fault) {
  std::vector<ScheduledFault> simpler;
  if (fault.duration > kDurationMin) {
    ScheduledFault halved = fault;
    halved.duration = std::max(kDurationMin, sim::Duration::milliseconds(fault.duration.ns() / 2'000'000));
    simpler.push_back(halved);
  }
  const double fallback = default_magnitude(fault.kind);
  if (magnitude_unit(fault.kind) != MagnitudeUnit::none && fault.magnitude != fallback) {
    ScheduledFault plain = fault;
    plain.magnitude = fallback;
    simpler.push_back(plain);
  }
  return simpler;
}

ShrinkReport shrink_failure(const ScenarioLoader& loader, std::uint64_t seed, const ShrinkOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  auto wall_seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  };
  const Scenario base = Scenario::from_loader(loader);
  ShrinkReport report;
  report.original = base.run(seed);
  report.runs = 1;
  report.original_fault_count = report.original.fault_schedule.size();
  if (report.original.exit_code() == exit_code::ok) {
    report.finished = true;
    report.wall_seconds = wall_seconds();
    return report;
  }

  report.schedule = to_whole_ms(report.original.fault_schedule);
  std::string error;
  std::optional<RunResult> rounded = run_schedule(base, seed, report.schedule, &error);
  report.runs = 2;
  if (!rounded || !same_failure(report.original, *rounded)) {
    report.status = ShrinkStatus::not_reproducible;
    if (rounded) {
      report.final_run = std::move(*rounded);
    } else {
      report.final_run = report.original;
      report.final_run.simulator_error = fmt::format("the schedule's overrides do not apply: {}", error);
    }
    report.wall_seconds = wall_seconds();
    return report;
  }

  report.status = ShrinkStatus::shrunk;
  report.final_run = std::move(*rounded);
  // shrink_list returns the argument of the last call that answered true,
  // so that call's run is the shrunk schedule's.
  const std::function<bool(const std::vector<ScheduledFault>&)> still_fails =
      [&](const std::vector<ScheduledFault>& candidate) {
        std::optional<RunResult> run = run_schedule(base, seed, candidate, nullptr);
        if (!run || !same_failure(report.original, *run)) return false;
        report.final_run = std::move(*run);
        return true;
      };
  auto outcome = replay::shrink_list<ScheduledFault>(report.schedule, still_fails, simpler_faults,
                                                     replay::ShrinkLimits{options.runs_max - report.runs});
  report.schedule = std::move(outcome.smallest);
  report.runs += outcome.runs;
  report.finished = outcome.finished;
  report.wall_seconds = wall_seconds();
  return report;
}

}  // namespace weir::scenarios
