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

constexpr std::string_view kIngesterWhy =
    "the log keeps every acknowledged record until each zone's ingesters have replayed it from their "
    "committed offset, so an ingester loses nothing the log cannot give back";
constexpr std::string_view kZoneWhy =
    "availability only: a cut-off zone's log node and ingesters fall behind and catch up after the repair";
constexpr std::string_view kObjectStoreWhy =
    "object storage is durable: slowness, stalls and SlowDown answers delay uploads and reads, they lose nothing";
constexpr std::string_view kDiskWhy =
    "ingester disks: a slow or failing WAL delays an ingester or crashes it, and it replays from the log";
constexpr std::string_view kNetworkWhy =
    "every client retries: Kafka produce and fetch, remote write and queries are at-least-once";

std::vector<FaultPromise> common_promises() {
  return {
      {FaultKind::ingester_stop, Survival::always, kIngesterWhy},
      {FaultKind::ingester_kill, Survival::always, kIngesterWhy},
      {FaultKind::ingester_kill_torn_wal, Survival::always, kIngesterWhy},
      {FaultKind::group_partition, Survival::always, kZoneWhy},
      {FaultKind::object_store_slow, Survival::always, kObjectStoreWhy},
      {FaultKind::object_store_stall, Survival::always, kObjectStoreWhy},
      {FaultKind::object_store_slow_down, Survival::always, kObjectStoreWhy},
      {FaultKind::disk_slow, Survival::always, kDiskWhy},
      {FaultKind::disk_fsync_errors, Survival::always, kDiskWhy},
      {FaultKind::network_delay, Survival::always, kNetworkWhy},
      {FaultKind::network_drop, Survival::always, kNetworkWhy},
  };
}

std::vector<FaultPromise> classic_promises() {
  std::vector<FaultPromise> p = common_promises();
  constexpr std::string_view kFencing =
      "a cut-off zone falls behind and catches up; but a broker whose heartbeats cannot reach the single "
      "controller for longer than its session is fenced and leaves the ISRs (every broker outside the "
      "controller's zone when that zone is cut off), so a broker machine lost meanwhile may be the last ISR member";
  p.push_back({FaultKind::zone_partition, Survival::up_to_limit, kFencing});
  p.push_back({FaultKind::zone_partition_one_way, Survival::up_to_limit, kFencing});
  constexpr std::string_view kMachine =
      "a machine crash loses the broker's page cache, the unflushed tail of its logs; acks=all put an "
      "acknowledged record in every ISR member's page cache, at least min.insync.replicas of them";
  p.push_back({FaultKind::broker_crash, Survival::up_to_limit, kMachine});
  p.push_back({FaultKind::broker_disk_loss, Survival::up_to_limit,
               "the replaced machine comes back empty and re-replicates from the leaders: a machine lost"});
  p.push_back({FaultKind::brokers_crash_together, Survival::up_to_limit,
               "several machines at once: past min.insync.replicas - 1 of them, every copy of a recent "
               "acknowledged record can be in the page caches lost (Kafka's real hazard)"});
  p.push_back({FaultKind::broker_process_kill, Survival::up_to_limit,
               "the page cache outlives the process: killed brokers lose nothing they wrote, however many; but "
               "each is out of the ISRs until it catches up, so a broker machine lost meanwhile may be the last "
               "ISR member, elected with only what it had flushed"});
  return p;
}

std::vector<FaultPromise> diskless_promises(bool wal_mode) {
  std::vector<FaultPromise> p = common_promises();
  p.push_back({FaultKind::zone_partition, Survival::always, kZoneWhy});
  p.push_back({FaultKind::zone_partition_one_way, Survival::always, kZoneWhy});
  constexpr std::string_view kStateless =
      "an agent acknowledges a record only once its object is in object storage and its batch is "
      "committed in the metadata store: agents hold nothing acknowledged, however many are lost";
  constexpr std::string_view kWal =
      "the agent recovers its WAL from its own disk (an EBS volume) after a restart";
  const std::string_view crash_why = wal_mode ? kWal : kStateless;
  p.push_back({FaultKind::broker_crash, Survival::always, crash_why});
  p.push_back({FaultKind::brokers_crash_together, Survival::always, crash_why});
  p.push_back({FaultKind::broker_process_kill, Survival::always, crash_why});
  if (wal_mode) {
    p.push_back({FaultKind::broker_disk_loss, Survival::never,
                 "the lost WAL volume held records acknowledged but not yet uploaded to object storage "
                 "(AutoMQ's WAL mode trusts the volume to outlive the agent)"});
  } else {
    p.push_back({FaultKind::broker_disk_loss, Survival::always, kStateless});
  }
  return p;
}

// The promises in kAllFaultKinds order; every kind exactly once.
std::vector<FaultPromise> in_kind_order(std::vector<FaultPromise> promises) {
  std::sort(promises.begin(), promises.end(),
            [](const FaultPromise& a, const FaultPromise& b) { return a.kind < b.kind; });
  if (promises.size() != std::size(kAllFaultKinds)) throw std::logic_error("fault budget: a kind has no promise");
  return promises;
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
  b.promises = in_kind_order(classic_promises());
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
  b.promises = in_kind_order(diskless_promises(o.automq_wal_mode));
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
  const bool cut = f.kind == FaultKind::zone_partition || f.kind == FaultKind::zone_partition_one_way;
  if (!cut || budget.controller_zone < 0 || budget.log_zone_count <= 0) return {};
  if (f.duration <= budget.controller_fence_after) return {};
  const int zone = f.target % budget.log_zone_count;
  const bool controller_cut_off = zone == budget.controller_zone;
  if (controller_cut_off && f.kind == FaultKind::zone_partition_one_way) return {};
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

std::string_view to_string(Survival survival) {
  switch (survival) {
    case Survival::always: return "always";
    case Survival::up_to_limit: return "up to the limit";
    case Survival::never: return "beyond the budget";
  }
  return "?";
}

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
  int count = 0;
  if (fault.kind == FaultKind::broker_crash || fault.kind == FaultKind::broker_disk_loss) count = 1;
  if (fault.kind == FaultKind::brokers_crash_together || fault.kind == FaultKind::broker_process_kill) {
    count = std::min(static_cast<int>(fault.magnitude), log_nodes);
  }
  std::vector<int> nodes;
  for (int k = 0; k < count; ++k) nodes.push_back((fault.target + k) % log_nodes);
  return nodes;
}

std::vector<int> lost_log_machines(const ScheduledFault& fault, int log_nodes) {
  if (fault.kind == FaultKind::broker_process_kill) return {};
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
