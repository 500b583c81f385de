#include "weir/scenarios/fault_plan.h"

#include "weir/sim/random.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace weir::scenarios {
namespace {

std::optional<std::string> check_magnitude(FaultKind kind, double m) {
  if (m == 0) return std::nullopt;  // the kind's default
  if (!std::isfinite(m)) return "must be finite";
  const MagnitudeInfo& range = info(kind).magnitude;
  switch (range.unit) {
    case MagnitudeUnit::none:
      return fmt::format("must be 0 ({} takes no magnitude)", to_string(kind));
    case MagnitudeUnit::multiplier:
      if (m < range.min || m > range.max) return fmt::format("must be a multiplier in [{}, {}]", range.min, range.max);
      return std::nullopt;
    case MagnitudeUnit::probability:
      if (m < range.min || m > range.max) return fmt::format("must be a probability in ({}, {}]", range.min, range.max);
      return std::nullopt;
    case MagnitudeUnit::count:
      if (m < range.min || m > range.max || m != std::floor(m)) {
        return fmt::format("must be a whole number of nodes in [{}, {}]", range.min, range.max);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> check_fault(const ScheduledFault& f, sim::Duration safety_phase) {
  if (f.at < sim::Duration()) return "at: must not be negative";
  if (f.duration <= sim::Duration()) return "duration: must be positive";
  if (f.at + f.duration > safety_phase) {
    return fmt::format("duration: the fault must heal by the end of the safety phase ({:.3f} s), not at {:.3f} s",
                       safety_phase.seconds_f(), (f.at + f.duration).seconds_f());
  }
  if (f.target < -1) return "target: must be -1 (random) or an index >= 0";
  if (auto e = check_magnitude(f.kind, f.magnitude)) return "magnitude: " + *e;
  return std::nullopt;
}

std::optional<std::string> check_swarm(const SwarmOptions& s, sim::Duration safety_phase) {
  if (!(s.kind_probability >= 0 && s.kind_probability <= 1)) return "swarm.kind_probability: must be in [0, 1]";
  if (s.faults_max < 0) return "swarm.faults_max: must not be negative";
  if (!(s.shuffle_probability >= 0 && s.shuffle_probability <= 1)) {
    return "swarm.shuffle_probability: must be in [0, 1]";
  }
  if (s.duration_max < sim::Duration::seconds(1)) return "swarm.duration_max: must be at least 1 s";
  if (s.enabled && s.duration_max + sim::Duration::seconds(1) > safety_phase) {
    return "swarm.duration_max: must leave at least 1 s of the safety phase before it";
  }
  for (std::size_t i = 0; i < s.kinds.size(); ++i) {
    if (!info(s.kinds[i]).swarm_may_draw) {
      return fmt::format("swarm.kinds[{}]: the swarm never draws {}", i, to_string(s.kinds[i]));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (s.kinds[i] == s.kinds[j]) return fmt::format("swarm.kinds[{}]: {} is listed twice", i, to_string(s.kinds[i]));
    }
  }
  return std::nullopt;
}

}  // namespace

bool FaultPlan::shuffles(std::uint64_t seed) const {
  if (shuffle_same_instant) return true;
  if (!swarm.enabled || swarm.shuffle_probability <= 0) return false;
  // A stream of its own, so that the choice changes no other draw.
  return sim::Random(seed).fork("swarm.shuffle_same_instant").uniform_real() < swarm.shuffle_probability;
}

int fault_node_count(const ScheduledFault& fault, int candidates) {
  const bool several = magnitude_unit(fault.kind) == MagnitudeUnit::count;
  return several ? std::min(static_cast<int>(fault.magnitude), candidates) : 1;
}

std::optional<std::string> FaultPlan::validate(sim::Duration safety_phase) const {
  if (safety_phase <= sim::Duration()) return "safety phase: must be positive";
  for (std::size_t i = 0; i < faults.size(); ++i) {
    if (auto e = check_fault(faults[i], safety_phase)) {
      return fmt::format("faults[{}] ({}): {}", i, to_string(faults[i].kind), *e);
    }
  }
  return check_swarm(swarm, safety_phase);
}

}  // namespace weir::scenarios
