#include "weir/scenarios/fault_budget.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace weir::scenarios {
namespace {

// A classic broker back from a lost machine catches up from the leaders and
// rejoins the ISRs within a few seconds at weir's loads; until then it holds
// no safe copy, so it still counts as down.
constexpr sim::Duration kClassicRejoinSettle = sim::Duration::seconds(10);

// Every kind's promise on one log, `column` of its row's promises, in
// kAllFaultKinds order (the rows' order).
std::vector<FaultPromise> promises(Promise FaultPromises::*column) {
  std::vector<FaultPromise> p;
  for (const FaultKindInfo& row : fault_kind_rows()) {
    const Promise& promise = row.promises.*column;
    p.push_back({row.kind, promise.survival, promise.why});
  }
  return p;
}

FaultBudget classic_budget(const models::kafka::classic::ClassicClusterOptions& o) {
  FaultBudget b;
  b.flavour = LogFlavour::classic;
  b.log_nodes = static_cast<int>(o.brokers);
  // Unclean election may crown a replica outside the ISR: no machine loss is safe then.
  b.log_machines_down_max = o.unclean_leader_election ? 0 : std::max(0, o.min_insync_replicas - 1);
  b.log_machine_settle = kClassicRejoinSettle;
  b.controller_zone = 0;  // the controller lives in zones.front(), as broker 0 does
  b.log_zone_count = static_cast<int>(std::min(o.zones.size(), o.brokers));
  b.controller_fence_after = o.broker_session_timeout - o.broker_heartbeat_interval;
  b.promises = promises(&FaultPromises::classic);
  b.summary = fmt::format(
      "classic Kafka, {} brokers, RF={}, min ISR {}{}: survives {} broker machine(s) lost at once and any number "
      "of broker processes killed",
      o.brokers, o.replication_factor, o.min_insync_replicas, o.unclean_leader_election ? ", unclean election" : "",
      b.log_machines_down_max);
  return b;
}

FaultBudget diskless_budget(const models::kafka::diskless::DisklessOptions& o) {
  FaultBudget b;
  b.flavour = LogFlavour::diskless;
  b.log_nodes = static_cast<int>(o.agents_per_zone * o.zones.size());
  b.promises = promises(o.automq_wal_mode ? &FaultPromises::diskless_wal : &FaultPromises::diskless);
  b.summary = o.automq_wal_mode
                  ? "diskless Kafka in WAL mode: survives any number of agents crashed or killed, not a lost WAL disk"
                  : "diskless Kafka: survives any number of agents crashed, killed or replaced";
  return b;
}

// The log nodes out at `t`: every up-to-limit fault whose window (with the
// settle time) holds t; `machines` lost, `processes` killed.
struct NodesOut {
  std::set<int> machines;
  std::set<int> all;  // machines and processes
};

// The brokers the controller fences because of `f`: a zone cut off (both
// ways, or its outbound traffic) for longer than a broker session stops its
// brokers' heartbeats from reaching the controller; the controller's own
// zone cut off both ways fences every broker outside it instead. A one-way
// cut of the controller's zone fences nobody: heartbeats still arrive.
std::vector<int> fenced_brokers(const FaultBudget& budget, const ScheduledFault& f) {
  const BudgetCount how = info(f.kind).budget;
  const bool cut = how == BudgetCount::zone_cut || how == BudgetCount::zone_cut_outbound;
  if (!cut || budget.controller_zone < 0 || budget.log_zone_count <= 0) return {};
  if (f.duration <= budget.controller_fence_after) return {};
  const int zone = f.target % budget.log_zone_count;
  const bool controller_cut_off = zone == budget.controller_zone;
  if (controller_cut_off && how == BudgetCount::zone_cut_outbound) return {};
  std::vector<int> nodes;
  for (int node = 0; node < budget.log_nodes; ++node) {
    const bool in_zone = node % budget.log_zone_count == zone;
    if (in_zone != controller_cut_off) nodes.push_back(node);
  }
  return nodes;
}

// When the log nodes `f` takes out start to count: a fencing partition only
// once the first session has run out.
sim::Duration counts_from(const FaultBudget& budget, const ScheduledFault& f) {
  return fenced_brokers(budget, f).empty() ? f.at : f.at + budget.controller_fence_after;
}

NodesOut nodes_out_at(const FaultBudget& budget, const std::vector<ScheduledFault>& schedule, sim::Duration t) {
  NodesOut out;
  for (const ScheduledFault& f : schedule) {
    if (budget.promise(f.kind).survival != Survival::up_to_limit) continue;
    if (t < counts_from(budget, f) || t >= f.at + f.duration + budget.log_machine_settle) continue;
    for (int node : lost_log_machines(f, budget.log_nodes)) out.machines.insert(node);
    for (int node : log_nodes_taken(f, budget.log_nodes)) out.all.insert(node);
    for (int node : fenced_brokers(budget, f)) out.all.insert(node);
  }
  return out;
}

}  // namespace

const FaultPromise& FaultBudget::promise(FaultKind kind) const { return promises.at(static_cast<std::size_t>(kind)); }

FaultBudget fault_budget(const LogTopologyOptions& log) {
  switch (log.flavour) {
    case LogFlavour::classic: return classic_budget(classic_cluster_options(log));
    case LogFlavour::diskless: return diskless_budget(diskless_cluster_options(log));
  }
  throw std::logic_error("fault budget: unknown log flavour");
}

std::vector<int> log_nodes_taken(const ScheduledFault& fault, int log_nodes) {
  if (log_nodes <= 0) return {};
  std::vector<int> nodes;
  switch (info(fault.kind).budget) {
    case BudgetCount::machines_lost:
    case BudgetCount::processes_killed:
      for (int k = 0; k < fault_node_count(fault, log_nodes); ++k) nodes.push_back((fault.target + k) % log_nodes);
      return nodes;
    case BudgetCount::nothing:
    case BudgetCount::zone_cut:
    case BudgetCount::zone_cut_outbound:
      return nodes;
  }
  return nodes;
}

std::vector<int> lost_log_machines(const ScheduledFault& fault, int log_nodes) {
  if (info(fault.kind).budget != BudgetCount::machines_lost) return {};
  return log_nodes_taken(fault, log_nodes);
}

std::optional<std::string> beyond_budget(const FaultBudget& budget, const std::vector<ScheduledFault>& schedule) {
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const ScheduledFault& f = schedule[i];
    const FaultPromise& promise = budget.promise(f.kind);
    const std::string where = fmt::format("faults[{}] {} at {:.1f} s", i, to_string(f.kind), f.at.seconds_f());
    if (promise.survival == Survival::never) return fmt::format("{}: beyond the budget: {}", where, promise.why);
    if (promise.survival != Survival::up_to_limit) continue;
    // Killed processes and fenced brokers keep what they wrote, but they
    // leave the ISRs: while a machine is lost, it may be the last ISR member
    // and come back, and be elected, with only what it had flushed (or an
    // empty disk).
    const NodesOut out = nodes_out_at(budget, schedule, counts_from(budget, f));
    const std::size_t down = out.machines.empty() ? 0 : out.all.size();
    if (down > static_cast<std::size_t>(budget.log_machines_down_max)) {
      return fmt::format("{}: {} log nodes down at once, {} of them machines lost; the {} log survives {}", where,
                         down, out.machines.size(), to_string(budget.flavour), budget.log_machines_down_max);
    }
  }
  return std::nullopt;
}

}  // namespace weir::scenarios
