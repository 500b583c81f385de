// ShrinkReport as text and as JSON.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "weir/scenarios/shrink.h"

namespace weir::scenarios {
namespace {

const char* status_name(ShrinkStatus status) {
  switch (status) {
    case ShrinkStatus::passed:
      return "passed";
    case ShrinkStatus::not_reproducible:
      return "not_reproducible";
    case ShrinkStatus::shrunk:
      return "shrunk";
  }
  return "shrunk";
}

nlohmann::json fault_json(const ScheduledFault& f) {
  nlohmann::json j = {
      {"kind", std::string(to_string(f.kind))},
      {"at_ms", f.at.ns() / 1'000'000},
      {"duration_ms", f.duration.ns() / 1'000'000},
      {"target", f.target},
  };
  if (magnitude_unit(f.kind) != MagnitudeUnit::none) j["magnitude"] = f.magnitude;
  return j;
}

std::string schedule_lines(const std::vector<ScheduledFault>& schedule) {
  std::string out;
  for (const auto& fault : schedule) out += fmt::format("  {}\n", describe(fault));
  return out;
}

}  // namespace

std::string describe(const ScheduledFault& f) {
  std::string line = fmt::format("t={:.3f}s {} target={} for {:.3f}s", f.at.seconds_f(), to_string(f.kind), f.target,
                                 f.duration.seconds_f());
  if (magnitude_unit(f.kind) != MagnitudeUnit::none) line += fmt::format(" magnitude={}", f.magnitude);
  return line;
}

std::string to_text(const ShrinkReport& r) {
  const RunResult& o = r.original;
  switch (r.status) {
    case ShrinkStatus::passed:
      return fmt::format("PASS scenario={} seed={}: the run passed, nothing to shrink\n", o.scenario, o.seed);
    case ShrinkStatus::not_reproducible:
      return fmt::format(
          "shrink {} seed {}: NOT REPRODUCIBLE: its {} faults cut to whole milliseconds no longer fail the same way "
          "(exit {}, the seed's run {}); the seed's own run below still reproduces\n{}",
          o.scenario, o.seed, r.original_fault_count, r.final_run.exit_code(), o.exit_code(), to_text(o));
    case ShrinkStatus::shrunk:
      break;
  }
  const std::string how = r.finished ? "1-minimal" : fmt::format("stopped at the runs limit, {} runs", r.runs);
  return fmt::format("shrink {} seed {}: {} faults cut to {} in {} runs ({}, {:.2f} s wall)\n{}{}", o.scenario, o.seed,
                     r.original_fault_count, r.schedule.size(), r.runs, how, r.wall_seconds,
                     schedule_lines(r.schedule), to_text(r.final_run));
}

std::string to_json(const ShrinkReport& r) {
  nlohmann::json faults = nlohmann::json::array();
  for (const auto& fault : r.schedule) faults.push_back(fault_json(fault));
  const RunResult& run = r.status == ShrinkStatus::passed ? r.original : r.final_run;
  nlohmann::json j = {
      {"scenario", r.original.scenario},
      {"seed", r.original.seed},
      {"status", status_name(r.status)},
      {"exit_code", r.exit_code()},
      {"original_exit_code", r.original.exit_code()},
      {"original_faults", r.original_fault_count},
      {"faults", faults},
      {"runs", r.runs},
      {"finished", r.finished},
      {"wall_seconds", r.wall_seconds},
      {"run", nlohmann::json::parse(to_json(run))},
  };
  // The line that reproduces the failure: the shrunk schedule's, else the
  // seed's own run (whose rounded schedule did not fail the same way).
  if (r.status == ShrinkStatus::shrunk) j["reproduce"] = r.final_run.reproduce_command();
  if (r.status == ShrinkStatus::not_reproducible) j["reproduce"] = r.original.reproduce_command();
  return j.dump();
}

}  // namespace weir::scenarios
