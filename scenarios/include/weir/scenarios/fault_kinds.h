// Fault kinds as data: one row per FaultKind (in fault_kinds.cpp, in enum
// order) saying what the kind is called and does, which family applies and
// heals it and with what effect, what its magnitude means, what its target
// indexes, whether the swarm may draw it and on which log flavours it
// applies, how it counts against the fault budget, and what each log
// promises to survive of it. Code reads a kind's row, info(kind), rather
// than switching over kinds.
//
// Adding a kind: its enumerator here and in kAllFaultKinds, its row, its
// effect in its family if the family lacks it (scenarios/src/faults/; a new
// family is a FaultFamily, an effect enum and a class there), and its tests
// (fault_kinds_test.cpp checks every row). Rows are constants.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "weir/scenarios/log_flavour.h"

namespace weir::scenarios {

// What each kind does: its row's doc line, and docs/scenarios.md.
enum class FaultKind {
  ingester_stop,
  ingester_kill,
  ingester_kill_torn_wal,
  broker_crash,
  broker_disk_loss,
  brokers_crash_together,
  zone_partition,
  zone_partition_one_way,
  group_partition,
  object_store_slow,
  object_store_stall,
  object_store_slow_down,
  disk_slow,
  disk_fsync_errors,
  network_delay,
  network_drop,
  broker_process_kill,
  network_duplicate,
  disk_full,
  disk_corrupt_reads,
  log_disk_slow,
  log_disk_fsync_errors,
  log_disk_full,
  log_disk_corrupt_reads,
  log_control_crash,
};
inline constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::ingester_stop,         FaultKind::ingester_kill,          FaultKind::ingester_kill_torn_wal,
    FaultKind::broker_crash,          FaultKind::broker_disk_loss,       FaultKind::brokers_crash_together,
    FaultKind::zone_partition,        FaultKind::zone_partition_one_way, FaultKind::group_partition,
    FaultKind::object_store_slow,     FaultKind::object_store_stall,     FaultKind::object_store_slow_down,
    FaultKind::disk_slow,             FaultKind::disk_fsync_errors,      FaultKind::network_delay,
    FaultKind::network_drop,          FaultKind::broker_process_kill,    FaultKind::network_duplicate,
    FaultKind::disk_full,             FaultKind::disk_corrupt_reads,     FaultKind::log_disk_slow,
    FaultKind::log_disk_fsync_errors, FaultKind::log_disk_full,          FaultKind::log_disk_corrupt_reads,
    FaultKind::log_control_crash,
};

// What ScheduledFault::magnitude means for a kind.
enum class MagnitudeUnit {
  none,         // unused: 0
  multiplier,   // a latency multiplier
  probability,  // a probability per operation or message
  count,        // how many nodes, the target and the next ones
};

// The swarm draws a count up to the fault's candidates.
inline constexpr double kUpToCandidates = std::numeric_limits<double>::infinity();

// A kind's magnitude. A fault that leaves it at 0 gets `default_value`;
// otherwise it must lie in [min, max] (a probability in (min, max], a count
// a whole number). The swarm draws uniformly in [swarm_min, swarm_max]: whole
// numbers for a multiplier or a count (a count at most the candidates), reals
// for a probability, nothing for unit none.
struct MagnitudeInfo {
  MagnitudeUnit unit = MagnitudeUnit::none;
  double default_value = 0;
  double min = 0;
  double max = 0;
  double swarm_min = 0;
  double swarm_max = 0;
};

// The class that applies and heals a kind (scenarios/src/faults/), one per
// family; the row's effect says what it does there.
enum class FaultFamily { crash, partition, disk, object_store, network };
inline constexpr FaultFamily kAllFaultFamilies[] = {
    FaultFamily::crash, FaultFamily::partition, FaultFamily::disk, FaultFamily::object_store, FaultFamily::network,
};

// crash: the target nodes go down until the fault heals, then restart (a
// crash loses what a node's disk had not synced).
enum class CrashEffect {
  stop_cleanly,              // an ingester's final commit (after its WAL fsync) first, then a crash
  crash,                     // the machine: what the OS held (a page cache) is lost too
  crash_tearing_last_write,  // and the disk keeps a random prefix of its last unsynced write
  crash_losing_disk,         // and the machine comes back with an empty disk
  kill_process,              // the process only: the node hands the OS what it holds first
};
// partition: network partitions, repaired when the fault heals.
enum class PartitionEffect {
  zone_both_ways,  // a log zone cut off from the others
  zone_outbound,   // a log zone's outbound traffic dropped
  ingester_group,  // an ingester zone's ingesters cut off from every node of the log
};
// The knob families: each knob is the largest magnitude of the active faults
// that set it, off when none does.
// disk: the target's disk (an ingester's, or a log node's): slower, failing
// fsyncs, full (appends fail with no space from the bytes it holds when the
// fault starts), or reads that flip a byte with some probability.
enum class DiskEffect { slow, fsync_errors, full, corrupt_reads };
enum class ObjectStoreEffect { slow, stall, slow_down };  // the object store
enum class NetworkEffect { delay, drop, duplicate };      // every message
// In FaultFamily order: the alternative a row holds is its kind's family.
using FaultEffect = std::variant<CrashEffect, PartitionEffect, DiskEffect, ObjectStoreEffect, NetworkEffect>;

// What ScheduledFault::target indexes, modulo how many there are (in the
// topology's order).
enum class FaultTarget {
  none,           // nothing: the fault hits a shared service or every link
  ingester,       // an ingester (or its disk)
  log_node,       // a serving node of the log (broker or agent)
  log_zone,       // a zone of the log
  ingester_zone,  // the ingesters of one ingester zone
  log_control,    // a node of the log's control plane (the classic controller, the diskless metadata service)
};

// Which log flavours a kind applies to.
struct FaultFlavours {
  bool classic = false;
  bool diskless = false;
};
inline constexpr FaultFlavours kEveryFlavour{.classic = true, .diskless = true};

// How a fault counts against the fault budget's limit on log nodes down at
// once (fault_budget.h).
enum class BudgetCount {
  nothing,            // takes no log node out
  machines_lost,      // its log nodes' machines, crashed or replaced
  processes_killed,   // its log nodes' processes: machines kept, out of the ISRs
  zone_cut,           // a classic zone cut off both ways fences brokers
  zone_cut_outbound,  // the same, but cutting the controller's zone fences nobody
};

// What a log promises about a kind: survived always, up to the budget's
// limit, or never.
enum class Survival {
  always,        // any number, at any time
  up_to_limit,   // while log machines down at once stay within the limit
  never,         // beyond the promise: may lose acknowledged data
};
std::string_view to_string(Survival survival);

struct Promise {
  Survival survival = Survival::always;
  std::string_view why;  // one line, in the modelled system's terms
};

// Per log, what it promises; the diskless log in WAL mode (AutoMQ-like)
// trusts its agents' disks.
struct FaultPromises {
  Promise classic;
  Promise diskless;
  Promise diskless_wal;
};

struct FaultKindInfo {
  FaultKind kind = FaultKind::ingester_kill;
  std::string_view name;  // as scenario files write it
  std::string_view doc;   // what it does to the system, in one line
  FaultEffect effect;     // its family, and what that does
  FaultTarget target = FaultTarget::none;
  MagnitudeInfo magnitude;
  bool swarm_may_draw = false;
  FaultFlavours flavours;
  BudgetCount budget = BudgetCount::nothing;
  FaultPromises promises;

  FaultFamily family() const { return static_cast<FaultFamily>(effect.index()); }
  bool applies_to(LogFlavour flavour) const;
};

// The kind's row.
const FaultKindInfo& info(FaultKind kind);
// Every row, in FaultKind order.
std::span<const FaultKindInfo> fault_kind_rows();

std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);
MagnitudeUnit magnitude_unit(FaultKind kind);
double default_magnitude(FaultKind kind);

}  // namespace weir::scenarios
