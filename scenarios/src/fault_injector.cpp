#include "weir/scenarios/fault_injector.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "faults/family.h"
#include "faults/targets.h"
#include "weir/scenarios/pipeline_world.h"
#include "weir/sim/hash.h"

namespace weir::scenarios {
namespace {

constexpr sim::Duration kSwarmFirstFaultAt = sim::Duration::seconds(1);
constexpr sim::Duration kSwarmDurationMin = sim::Duration::seconds(1);

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
  for (FaultFamily family : kAllFaultFamilies) families_.push_back(faults::make_family(family, world_));
  sim::Random random = sim_.random("faults");
  plan_scheduled(plan, random);
  if (plan.swarm.enabled) plan_swarm(plan.swarm, random);
  std::stable_sort(faults_.begin(), faults_.end(),
                   [](const ScheduledFault& a, const ScheduledFault& b) { return a.at < b.at; });
}

FaultInjector::~FaultInjector() = default;

void FaultInjector::plan_scheduled(const FaultPlan& plan, sim::Random& random) {
  for (ScheduledFault fault : plan.faults) {
    const int candidates = std::max(1, faults::candidate_count(world_, fault.kind));
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
    const int candidates = std::max(1, faults::candidate_count(world_, fault.kind));
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
  ActiveFault& active = active_[id];
  active.id = id;
  active.fault = fault;
  apply(active);
  if (stopped_) return;  // a clean stop may outlast the safety phase
  sim_.sleep_until(sim::Time::zero() + fault.at + fault.duration);
  if (stopped_) return;
  const ActiveFault done = std::move(active_.at(id));
  active_.erase(id);
  heal(done);
}

faults::Family& FaultInjector::family(FaultKind kind) {
  return *families_[static_cast<std::size_t>(info(kind).family())];
}

void FaultInjector::apply(ActiveFault& active) {
  const ScheduledFault& f = active.fault;
  std::vector<std::string> names = family(f.kind).apply(active);
  if (stopped_) return;  // heal_all ended a clean stop
  for (sim::NodeId node : active.nodes) names.push_back(sim_.node(node).name());
  set_knobs();
  applied_.push_back(describe(f, names));
  for (const auto& name : names) {
    if (!active.target_name.empty()) active.target_name.push_back(',');
    active.target_name.append(name);
  }
  const sim::NodeId where = active.nodes.empty() ? sim::kNoNode : active.nodes.front();
  sim_.event(where, kTraceFaultApplied, {to_string(f.kind), std::string_view(active.target_name)});
}

void FaultInjector::heal(const ActiveFault& active) {
  const ScheduledFault& f = active.fault;
  family(f.kind).heal(active);
  set_knobs();
  const sim::NodeId where = active.nodes.empty() ? sim::kNoNode : active.nodes.front();
  sim_.event(where, kTraceFaultHealed, {to_string(f.kind), std::string_view(active.target_name)});
}

// After any fault's apply or heal, every knob family recomputes its knobs
// from all the active faults: overlapping faults compose, and a knob no
// active fault sets goes back off.
void FaultInjector::set_knobs() {
  for (const auto& family : families_) family->set_knobs(active_);
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
  for (const auto& family : families_) family->heal_all();
  scenarios::heal_all(world_);
}

std::uint64_t fault_trace_digest(FaultKind kind, std::string_view target_name) {
  const sim::TraceField fields[] = {to_string(kind), target_name};
  return sim::fields_digest(fields);
}

std::map<std::uint64_t, std::string> fault_trace_labels(const std::vector<std::string>& node_names,
                                                        const std::vector<std::string>& zones) {
  std::vector<std::string> targets = {"", "network", "object-store"};
  targets.insert(targets.end(), node_names.begin(), node_names.end());
  for (const std::string& zone : zones) {
    targets.push_back(zone);
    targets.push_back(fmt::format("ingesters-{}", zone));
  }
  std::map<std::uint64_t, std::string> labels;
  for (FaultKind kind : kAllFaultKinds) {
    for (const std::string& target : targets) {
      labels[fault_trace_digest(kind, target)] =
          target.empty() ? std::string(to_string(kind)) : fmt::format("{} {}", to_string(kind), target);
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
  sim.event(sim::kNoNode, kTraceFaultsHealedAll, {});
}

}  // namespace weir::scenarios
