#include "weir/scenarios/fault_plan.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace weir::scenarios {
namespace {

constexpr const char* kNames[] = {
    "ingester_stop",     "ingester_kill",          "ingester_kill_torn_wal", "broker_crash",
    "broker_disk_loss",  "brokers_crash_together", "zone_partition",         "zone_partition_one_way",
    "group_partition",   "object_store_slow",      "object_store_stall",     "object_store_slow_down",
    "disk_slow",         "disk_fsync_errors",      "network_delay",          "network_drop",
    "broker_process_kill",
};
static_assert(std::size(kNames) == std::size(kAllFaultKinds));

constexpr double kMultiplierMax = 1000;
constexpr int kLogNodesAtOnceMax = 64;

int count_min(FaultKind kind) { return kind == FaultKind::broker_process_kill ? 1 : 2; }

std::optional<std::string> check_magnitude(FaultKind kind, double m) {
  if (m == 0) return std::nullopt;  // the kind's default
  if (!std::isfinite(m)) return "must be finite";
  switch (magnitude_unit(kind)) {
    case MagnitudeUnit::none:
      return fmt::format("must be 0 ({} takes no magnitude)", to_string(kind));
    case MagnitudeUnit::multiplier:
      if (m < 1 || m > kMultiplierMax) return fmt::format("must be a multiplier in [1, {}]", kMultiplierMax);
      return std::nullopt;
    case MagnitudeUnit::probability:
      if (m < 0 || m > 1) return "must be a probability in (0, 1]";
      return std::nullopt;
    case MagnitudeUnit::count:
      if (m < count_min(kind) || m > kLogNodesAtOnceMax || m != std::floor(m)) {
        return fmt::format("must be a whole number of nodes in [{}, {}]", count_min(kind), kLogNodesAtOnceMax);
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
  if (s.duration_max < sim::Duration::seconds(1)) return "swarm.duration_max: must be at least 1 s";
  if (s.enabled && s.duration_max + sim::Duration::seconds(1) > safety_phase) {
    return "swarm.duration_max: must leave at least 1 s of the safety phase before it";
  }
  for (std::size_t i = 0; i < s.kinds.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (s.kinds[i] == s.kinds[j]) return fmt::format("swarm.kinds[{}]: {} is listed twice", i, to_string(s.kinds[i]));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FaultKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (FaultKind kind : kAllFaultKinds) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

MagnitudeUnit magnitude_unit(FaultKind kind) {
  switch (kind) {
    case FaultKind::object_store_slow:
    case FaultKind::disk_slow:
      return MagnitudeUnit::multiplier;
    case FaultKind::object_store_slow_down:
    case FaultKind::disk_fsync_errors:
    case FaultKind::network_delay:
    case FaultKind::network_drop:
      return MagnitudeUnit::probability;
    case FaultKind::brokers_crash_together:
    case FaultKind::broker_process_kill:
      return MagnitudeUnit::count;
    default:
      return MagnitudeUnit::none;
  }
}

double default_magnitude(FaultKind kind) {
  switch (kind) {
    case FaultKind::object_store_slow:
    case FaultKind::disk_slow:
      return 10;
    case FaultKind::network_drop:
      return 0.05;
    case FaultKind::brokers_crash_together:
      return 2;
    case FaultKind::broker_process_kill:
      return 1;
    default:
      return magnitude_unit(kind) == MagnitudeUnit::probability ? 0.3 : 0;
  }
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
