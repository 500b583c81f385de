#include "weir/scenarios/fault_injector.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "weir/models/mimir/ingester.h"
#include "weir/scenarios/pipeline_world.h"
#include "weir/sim/hash.h"

namespace weir::scenarios {
namespace {

constexpr sim::Duration kStopPollInterval = sim::Duration::milliseconds(50);
constexpr sim::Duration kSwarmFirstFaultAt = sim::Duration::seconds(1);
constexpr sim::Duration kSwarmDurationMin = sim::Duration::seconds(1);
// Log-node faults that take nodes down until they heal: machine crashes,
// disk losses and process kills.
bool crashes_log_nodes(FaultKind kind) {
  return kind == FaultKind::broker_crash || kind == FaultKind::broker_disk_loss ||
         kind == FaultKind::brokers_crash_together || kind == FaultKind::broker_process_kill;
}

bool crashes_ingester(FaultKind kind) {
  return kind == FaultKind::ingester_stop || kind == FaultKind::ingester_kill ||
         kind == FaultKind::ingester_kill_torn_wal;
}

template <class F>
std::vector<std::string> distinct_zones(sim::Simulation& sim, const std::vector<sim::NodeId>& nodes, F&& keep) {
  std::vector<std::string> zones;
  for (sim::NodeId node : nodes) {
    const std::string& zone = sim.node(node).zone();
    if (keep(node) && std::find(zones.begin(), zones.end(), zone) == zones.end()) zones.push_back(zone);
  }
  return zones;
}

std::vector<std::string> log_zones(PipelineWorld& world) {
  return distinct_zones(world.sim(), world.log().serving_nodes(), [](sim::NodeId) { return true; });
}

std::vector<std::string> ingester_zones(PipelineWorld& world) {
  return distinct_zones(world.sim(), world.ingesters(), [](sim::NodeId) { return true; });
}

std::vector<sim::NodeId> nodes_where(sim::Simulation& sim, bool in_zone, const std::string& zone) {
  std::vector<sim::NodeId> nodes;
  for (sim::NodeId id = 0; id < sim.node_count(); ++id) {
    if ((sim.node(id).zone() == zone) == in_zone) nodes.push_back(id);
  }
  return nodes;
}

// The swarm's draw of a fault's magnitude (fault_kinds.h); `candidates`:
// how many nodes the kind may target.
double magnitude_draw(FaultKind kind, int candidates, sim::Random& random) {
  const MagnitudeInfo& m = info(kind).magnitude;
  const auto whole = [](double value) { return static_cast<std::int64_t>(value); };
  switch (m.unit) {
    case MagnitudeUnit::none:
      return m.default_value;
    case MagnitudeUnit::multiplier:
      return static_cast<double>(random.uniform_int(whole(m.swarm_min), whole(m.swarm_max)));
    case MagnitudeUnit::probability:
      return random.uniform_real(m.swarm_min, m.swarm_max);
    case MagnitudeUnit::count: {
      const std::int64_t most = whole(std::min(m.swarm_max, static_cast<double>(candidates)));
      return static_cast<double>(random.uniform_int(whole(m.swarm_min), std::max(whole(m.swarm_min), most)));
    }
  }
  return m.default_value;
}

}  // namespace

FaultInjector::FaultInjector(PipelineWorld& world, const FaultPlan& plan, sim::Duration safety_phase)
    : world_(world), sim_(world.sim()), safety_phase_(safety_phase) {
  if (auto error = plan.validate(safety_phase)) throw std::invalid_argument("fault plan: " + *error);
  sim::Random random = sim_.random("faults");
  plan_scheduled(plan, random);
  if (plan.swarm.enabled) plan_swarm(plan.swarm, random);
  std::stable_sort(faults_.begin(), faults_.end(),
                   [](const ScheduledFault& a, const ScheduledFault& b) { return a.at < b.at; });
}

int FaultInjector::candidate_count(FaultKind kind) const {
  switch (info(kind).target) {
    case FaultTarget::none: return 1;
    case FaultTarget::ingester: return static_cast<int>(world_.ingesters().size());
    case FaultTarget::log_node: return static_cast<int>(world_.log().serving_nodes().size());
    case FaultTarget::log_zone: return static_cast<int>(log_zones(world_).size());
    case FaultTarget::ingester_zone: return static_cast<int>(ingester_zones(world_).size());
  }
  return 1;
}

void FaultInjector::plan_scheduled(const FaultPlan& plan, sim::Random& random) {
  for (ScheduledFault fault : plan.faults) {
    const int candidates = std::max(1, candidate_count(fault.kind));
    fault.target = fault.target < 0 ? static_cast<int>(random.below(static_cast<std::uint64_t>(candidates)))
                                    : fault.target % candidates;
    if (fault.magnitude == 0) fault.magnitude = default_magnitude(fault.kind);
    faults_.push_back(fault);
  }
}

// The kinds a swarm may switch on: its list (every kind when empty), less
// the kinds it must never draw and those that do not apply to the world's
// log, and less, unless it draws beyond the budget, the kinds that no fault
// can stay within it with (beyond the promise, or one fault already past the
// limit).
std::vector<FaultKind> FaultInjector::swarm_kinds(const SwarmOptions& swarm) const {
  std::vector<FaultKind> kinds(swarm.kinds.begin(), swarm.kinds.end());
  if (kinds.empty()) kinds.assign(std::begin(kAllFaultKinds), std::end(kAllFaultKinds));
  std::erase_if(kinds, [&](FaultKind kind) {
    return !info(kind).swarm_may_draw || !info(kind).applies_to(world_.fault_budget().flavour);
  });
  if (swarm.beyond_budget) return kinds;
  std::erase_if(kinds, [&](FaultKind kind) {
    const ScheduledFault lone{kind, sim::Duration(), sim::Duration::seconds(1), 0, default_magnitude(kind)};
    return beyond_budget(world_.fault_budget(), {lone}).has_value();
  });
  return kinds;
}

// Per seed: each kind is on with kind_probability (one kind at least); then
// up to faults_max faults, each of an enabled kind, with a uniform duration in
// [1 s, duration_max], a uniform start that ends it by the safety phase's end,
// a uniform target and a magnitude drawn from the kind's range. Unless the
// swarm draws beyond the budget, a fault that would take the plan past the
// log's fault budget is left out (when the scheduled faults already are past
// it, the budget no longer holds anything back).
void FaultInjector::plan_swarm(const SwarmOptions& swarm, sim::Random& random) {
  const std::vector<FaultKind> kinds = swarm_kinds(swarm);
  if (kinds.empty()) return;
  std::vector<FaultKind> enabled;
  for (FaultKind kind : kinds) {
    if (random.bernoulli(swarm.kind_probability)) enabled.push_back(kind);
  }
  if (enabled.empty()) enabled.push_back(kinds[random.below(kinds.size())]);
  if (swarm.faults_max == 0) return;
  const FaultBudget& budget = world_.fault_budget();
  const bool keep_within = !swarm.beyond_budget && !beyond_budget(budget, faults_);
  const auto count = random.uniform_int(1, swarm.faults_max);
  for (std::int64_t i = 0; i < count; ++i) {
    ScheduledFault fault;
    fault.kind = enabled[random.below(enabled.size())];
    const sim::Duration longest = std::min(swarm.duration_max, safety_phase_ - kSwarmFirstFaultAt);
    fault.duration = sim::Duration::nanoseconds(random.uniform_int(kSwarmDurationMin.ns(), longest.ns()));
    fault.at = sim::Duration::nanoseconds(
        random.uniform_int(kSwarmFirstFaultAt.ns(), (safety_phase_ - fault.duration).ns()));
    const int candidates = std::max(1, candidate_count(fault.kind));
    fault.target = static_cast<int>(random.below(static_cast<std::uint64_t>(candidates)));
    fault.magnitude = magnitude_draw(fault.kind, candidates, random);
    faults_.push_back(fault);
    if (keep_within && beyond_budget(budget, faults_)) faults_.pop_back();
  }
}

void FaultInjector::start() {
  for (std::size_t i = 0; i < faults_.size(); ++i) sim_.spawn(sim::kNoNode, [this, i] { run_fault(i); });
}

void FaultInjector::run_fault(std::size_t index) {
  const ScheduledFault& fault = faults_[index];
  sim_.sleep_until(sim::Time::zero() + fault.at);
  if (stopped_) return;
  const std::uint64_t id = next_id_++;
  Active& active = active_[id];
  active.id = id;
  active.fault = fault;
  apply(active);
  if (stopped_) return;  // a clean stop may outlast the safety phase
  sim_.sleep_until(sim::Time::zero() + fault.at + fault.duration);
  if (stopped_) return;
  const Active done = std::move(active_.at(id));
  active_.erase(id);
  heal(done);
}

std::vector<sim::NodeId> FaultInjector::targets_of(const ScheduledFault& fault) const {
  const auto from_target = [&](const std::vector<sim::NodeId>& candidates) {
    std::vector<sim::NodeId> nodes;
    const int n = fault_node_count(fault, static_cast<int>(candidates.size()));
    for (int k = 0; k < n; ++k) {
      nodes.push_back(candidates[static_cast<std::size_t>(fault.target + k) % candidates.size()]);
    }
    return nodes;
  };
  switch (info(fault.kind).target) {
    case FaultTarget::ingester: return from_target(world_.ingesters());
    case FaultTarget::log_node: return from_target(world_.log().serving_nodes());
    case FaultTarget::none:
    case FaultTarget::log_zone:
    case FaultTarget::ingester_zone: return {};
  }
  return {};
}

void FaultInjector::apply(Active& active) {
  const ScheduledFault& f = active.fault;
  std::vector<std::string> names;
  const auto zone_of = [&](const std::vector<std::string>& zones) {
    return zones[static_cast<std::size_t>(f.target) % zones.size()];
  };
  switch (f.kind) {
    case FaultKind::ingester_stop:
      stop_cleanly(targets_of(f).front());
      if (stopped_) return;
      crash(active, targets_of(f));
      break;
    case FaultKind::ingester_kill:
    case FaultKind::broker_crash:
    case FaultKind::brokers_crash_together:
      crash(active, targets_of(f));
      break;
    case FaultKind::broker_process_kill:
      for (sim::NodeId node : targets_of(f)) world_.log().before_process_kill(node);
      crash(active, targets_of(f));
      break;
    case FaultKind::ingester_kill_torn_wal: {
      const sim::NodeId node = targets_of(f).front();
      auto& disk = sim_.node(node).disk().options();
      const bool torn = disk.torn_last_write;
      disk.torn_last_write = true;
      crash(active, {node});
      disk.torn_last_write = torn;
      break;
    }
    case FaultKind::broker_disk_loss:
      crash(active, targets_of(f));
      for (sim::NodeId node : active.nodes) sim_.node(node).disk().wipe();
      break;
    case FaultKind::zone_partition:
      names.push_back(zone_of(log_zones(world_)));
      active.partitions.push_back(sim_.network().isolate_zone(names.back()));
      break;
    case FaultKind::zone_partition_one_way:
      names.push_back(zone_of(log_zones(world_)));
      active.partitions.push_back(sim_.network().partition(nodes_where(sim_, true, names.back()),
                                                           nodes_where(sim_, false, names.back()), true));
      break;
    case FaultKind::group_partition: {
      const std::string zone = zone_of(ingester_zones(world_));
      std::vector<sim::NodeId> group;
      for (sim::NodeId node : world_.ingesters()) {
        if (sim_.node(node).zone() == zone) group.push_back(node);
      }
      names.push_back(fmt::format("ingesters-{}", zone));
      active.partitions.push_back(sim_.network().partition(group, world_.log().all_nodes()));
      break;
    }
    case FaultKind::disk_slow:
    case FaultKind::disk_fsync_errors:
      active.nodes = targets_of(f);
      for (sim::NodeId node : active.nodes) {
        if (std::find(knob_disks_.begin(), knob_disks_.end(), node) == knob_disks_.end()) knob_disks_.push_back(node);
      }
      break;
    case FaultKind::object_store_slow:
    case FaultKind::object_store_stall:
    case FaultKind::object_store_slow_down:
      names.push_back("object-store");
      break;
    case FaultKind::network_delay:
    case FaultKind::network_drop:
      names.push_back("network");
      break;
  }
  for (sim::NodeId node : active.nodes) names.push_back(sim_.node(node).name());
  set_knobs();
  applied_.push_back(describe(f, names));
  const sim::NodeId where = active.nodes.empty() ? sim::kNoNode : active.nodes.front();
  sim_.record(where, kTraceFaultApplied, fault_trace_digest(f.kind, f.target));
}

void FaultInjector::crash(Active& active, const std::vector<sim::NodeId>& nodes) {
  for (sim::NodeId node : nodes) {
    active.nodes.push_back(node);
    ++down_count_[node];
    sim_.crash(node);
  }
}

void FaultInjector::stop_cleanly(sim::NodeId ingester) {
  const sim::Time give_up = sim_.now() + kStopWaitMax;
  while (!stopped_ && sim_.now() < give_up && sim_.node(ingester).up()) {
    const auto* process = dynamic_cast<const models::mimir::Ingester*>(sim_.node(ingester).process());
    if (process == nullptr || process->last_committed_offset() >= process->last_consumed_offset()) return;
    sim_.sleep(kStopPollInterval);
  }
}

void FaultInjector::heal(const Active& active) {
  const ScheduledFault& f = active.fault;
  for (sim::PartitionId id : active.partitions) sim_.network().repair(id);
  const bool crashed = crashes_ingester(f.kind) || crashes_log_nodes(f.kind);
  for (sim::NodeId node : crashed ? active.nodes : std::vector<sim::NodeId>{}) {
    if (--down_count_[node] == 0) sim_.start(node);
  }
  set_knobs();
  const sim::NodeId where = active.nodes.empty() ? sim::kNoNode : active.nodes.front();
  sim_.record(where, kTraceFaultHealed, fault_trace_digest(f.kind, f.target));
}

// Every knob is recomputed from the active faults: the largest magnitude of
// the faults that set it, off when none does.
void FaultInjector::set_knobs() {
  models::objstore::ObjectStoreFaults store = world_.object_store().faults();
  store.latency_multiplier = 1.0;
  store.slow_down_probability = 0.0;
  store.stalls.clear();
  double drop = 0, delay = 0;
  std::map<sim::NodeId, std::pair<double, double>> disks;  // slow multiplier, fsync error probability
  for (sim::NodeId node : knob_disks_) disks[node] = {1.0, 0.0};
  for (const auto& [id, a] : active_) {
    const double m = a.fault.magnitude;
    switch (a.fault.kind) {
      case FaultKind::object_store_slow: store.latency_multiplier = std::max(store.latency_multiplier, m); break;
      case FaultKind::object_store_slow_down: store.slow_down_probability = std::max(store.slow_down_probability, m); break;
      case FaultKind::object_store_stall:
        store.stalls.push_back({sim::Time::zero() + a.fault.at, sim::Time::zero() + a.fault.at + a.fault.duration});
        break;
      case FaultKind::network_drop: drop = std::max(drop, m); break;
      case FaultKind::network_delay: delay = std::max(delay, m); break;
      case FaultKind::disk_slow:
        for (sim::NodeId node : a.nodes) disks[node].first = std::max(disks[node].first, m);
        break;
      case FaultKind::disk_fsync_errors:
        for (sim::NodeId node : a.nodes) disks[node].second = std::max(disks[node].second, m);
        break;
      default: break;
    }
  }
  world_.object_store().set_faults(store);
  sim_.network().options().drop_probability = drop;
  sim_.network().options().delay_probability = delay;
  for (const auto& [node, knobs] : disks) {
    auto& disk = sim_.node(node).disk().options();
    disk.slow_multiplier = knobs.first;
    disk.fsync_error_probability = knobs.second;
  }
}

std::string FaultInjector::describe(const ScheduledFault& f, const std::vector<std::string>& names) const {
  std::string target;
  for (const auto& name : names) {
    if (!target.empty()) target.push_back(',');
    target.append(name);
  }
  std::string strength;
  switch (magnitude_unit(f.kind)) {
    case MagnitudeUnit::multiplier: strength = fmt::format(" x{:g}", f.magnitude); break;
    case MagnitudeUnit::probability: strength = fmt::format(" p={:.3g}", f.magnitude); break;
    case MagnitudeUnit::none:
    case MagnitudeUnit::count: break;  // a count shows as the nodes it names
  }
  return fmt::format("t={:.1f}s {} {}{} for {:.1f}s", f.at.seconds_f(), to_string(f.kind), target, strength,
                     f.duration.seconds_f());
}

void FaultInjector::heal_all() {
  stopped_ = true;
  active_.clear();
  down_count_.clear();
  scenarios::heal_all(world_);
}

std::uint64_t fault_trace_digest(FaultKind kind, int target) {
  return sim::hash_combine(static_cast<std::uint64_t>(kind), static_cast<std::uint64_t>(target));
}

std::map<std::uint64_t, std::string> fault_trace_labels(int targets_max) {
  std::map<std::uint64_t, std::string> labels;
  for (FaultKind kind : kAllFaultKinds) {
    for (int target = 0; target < targets_max; ++target) {
      labels[fault_trace_digest(kind, target)] = fmt::format("{} target={}", to_string(kind), target);
    }
  }
  return labels;
}

void heal_all(PipelineWorld& world) {
  sim::Simulation& sim = world.sim();
  sim.network().repair_all();
  sim.network().options().drop_probability = 0;
  sim.network().options().delay_probability = 0;
  models::objstore::ObjectStoreFaults store = world.object_store().faults();
  store.latency_multiplier = 1.0;
  store.slow_down_probability = 0.0;
  store.stalls.clear();
  world.object_store().set_faults(store);
  for (sim::NodeId node : world.faultable_nodes()) {
    auto& disk = sim.node(node).disk().options();
    disk.slow_multiplier = 1.0;
    disk.fsync_error_probability = 0.0;
    disk.torn_last_write = false;
    sim.start(node);
  }
  sim.record(sim::kNoNode, kTraceFaultsHealedAll, 0);
}

}  // namespace weir::scenarios
