#include "weir/scenarios/fault_kinds.h"

#include <cstddef>
#include <iterator>
#include <type_traits>

namespace weir::scenarios {
namespace {

// ---- Magnitudes. The valid ranges are per unit; counts are log nodes.
constexpr double kMultiplierMax = 1000;
constexpr double kLogNodesAtOnceMax = 64;

constexpr MagnitudeInfo kNoMagnitude{};

constexpr MagnitudeInfo multiplier(double default_value, double swarm_min, double swarm_max) {
  return {MagnitudeUnit::multiplier, default_value, 1, kMultiplierMax, swarm_min, swarm_max};
}

constexpr MagnitudeInfo probability(double default_value, double swarm_min, double swarm_max) {
  return {MagnitudeUnit::probability, default_value, 0, 1, swarm_min, swarm_max};
}

// The swarm draws from `min` up to the candidates.
constexpr MagnitudeInfo count(double default_value, double min) {
  return {MagnitudeUnit::count, default_value, min, kLogNodesAtOnceMax, min, kUpToCandidates};
}

// ---- Why each log survives what it survives (docs/fault-budget.md).
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
constexpr std::string_view kFencingWhy =
    "a cut-off zone falls behind and catches up; but a broker whose heartbeats cannot reach the single "
    "controller for longer than its session is fenced and leaves the ISRs (every broker outside the "
    "controller's zone when that zone is cut off), so a broker machine lost meanwhile may be the last ISR member";
constexpr std::string_view kMachineWhy =
    "a machine crash loses the broker's page cache, the unflushed tail of its logs; acks=all put an "
    "acknowledged record in every ISR member's page cache, at least min.insync.replicas of them";
constexpr std::string_view kStatelessWhy =
    "an agent acknowledges a record only once its object is in object storage and its batch is "
    "committed in the metadata store: agents hold nothing acknowledged, however many are lost";
constexpr std::string_view kWalWhy = "the agent recovers its WAL from its own disk (an EBS volume) after a restart";
constexpr std::string_view kDuplicateWhy =
    "every request is idempotent where it matters: a duplicated produce is a retry the producer's sequence "
    "numbers let the log drop, a duplicated fetch or query is answered twice and the extra answer ignored";
constexpr std::string_view kFullDiskWhy =
    "an ingester whose WAL cannot grow stops consuming until it can, and replays from the log after";
constexpr std::string_view kCorruptReadWhy =
    "an ingester replays its WAL, then resumes after its committed offset: a corrupt read that cuts the WAL "
    "loses the committed records past the cut from that zone, as a lost ingester disk would";
constexpr std::string_view kLogDiskWhy =
    "a log node whose disk is slow, fails fsyncs or is full keeps what it wrote in memory and retries; it "
    "acknowledges nothing it could not write where its promise needs it written";
constexpr std::string_view kLogCorruptReadWhy =
    "log files are checksummed: a corrupt read when a broker recovers its log after a restart ends the valid "
    "prefix there, losing what it had flushed past it, as a lost machine loses its page cache; so it counts as "
    "one: while brokers are out of the ISRs it may be the last member, elected with the shorter log";
constexpr std::string_view kWalCorruptReadWhy =
    "a corrupt read when an agent recovers its WAL ends the WAL there: the acknowledged entries past it that "
    "were not uploaded yet are lost, as with a lost WAL volume";
constexpr std::string_view kControlWhy =
    "availability only: while the control plane is down nothing changes leaders or commits metadata, and "
    "every client waits and retries; its state is on its disk (classic) or in a replicated store (diskless)";

constexpr Promise always(std::string_view why) { return {Survival::always, why}; }
constexpr Promise up_to_limit(std::string_view why) { return {Survival::up_to_limit, why}; }
constexpr Promise never(std::string_view why) { return {Survival::never, why}; }

constexpr FaultPromises survived_by_all(std::string_view why) { return {always(why), always(why), always(why)}; }

// A log-node crash: up to the limit on classic Kafka; diskless agents hold
// nothing acknowledged, or recover their WAL in WAL mode.
constexpr FaultPromises log_node_crash(std::string_view classic_why) {
  return {up_to_limit(classic_why), always(kStatelessWhy), always(kWalWhy)};
}

constexpr FaultKindInfo kRows[] = {
    {.kind = FaultKind::ingester_stop,
     .name = "ingester_stop",
     .doc = "clean shutdown: final fsync and commit, then down",
     .effect = CrashEffect::stop_cleanly,
     .target = FaultTarget::ingester,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kIngesterWhy)},
    {.kind = FaultKind::ingester_kill,
     .name = "ingester_kill",
     .doc = "crash: unsynced WAL writes lost",
     .effect = CrashEffect::crash,
     .target = FaultTarget::ingester,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kIngesterWhy)},
    {.kind = FaultKind::ingester_kill_torn_wal,
     .name = "ingester_kill_torn_wal",
     .doc = "crash that also tears the WAL's last write",
     .effect = CrashEffect::crash_tearing_last_write,
     .target = FaultTarget::ingester,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kIngesterWhy)},
    {.kind = FaultKind::broker_crash,
     .name = "broker_crash",
     .doc = "a log node's machine (broker or agent) crashes and restarts",
     .effect = CrashEffect::crash,
     .target = FaultTarget::log_node,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::machines_lost,
     .promises = log_node_crash(kMachineWhy)},
    {.kind = FaultKind::broker_disk_loss,
     .name = "broker_disk_loss",
     .doc = "a log node crashes and comes back with an empty disk (its machine replaced)",
     .effect = CrashEffect::crash_losing_disk,
     .target = FaultTarget::log_node,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::machines_lost,
     .promises = {.classic = up_to_limit("the replaced machine comes back empty and re-replicates from the "
                                         "leaders: a machine lost"),
                  .diskless = always(kStatelessWhy),
                  .diskless_wal = {Survival::never,
                                   "the lost WAL volume held records acknowledged but not yet uploaded to object "
                                   "storage (AutoMQ's WAL mode trusts the volume to outlive the agent)"}}},
    {.kind = FaultKind::brokers_crash_together,
     .name = "brokers_crash_together",
     .doc = "`magnitude` log nodes' machines crash at once, the target and the next ones",
     .effect = CrashEffect::crash,
     .target = FaultTarget::log_node,
     .magnitude = count(2, 2),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::machines_lost,
     .promises = log_node_crash("several machines at once: past min.insync.replicas - 1 of them, every copy of a "
                                "recent acknowledged record can be in the page caches lost (Kafka's real hazard)")},
    {.kind = FaultKind::zone_partition,
     .name = "zone_partition",
     .doc = "a zone of the log cut off from the others, both ways",
     .effect = PartitionEffect::zone_both_ways,
     .target = FaultTarget::log_zone,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::zone_cut,
     .promises = {.classic = up_to_limit(kFencingWhy), .diskless = always(kZoneWhy), .diskless_wal = always(kZoneWhy)}},
    {.kind = FaultKind::zone_partition_one_way,
     .name = "zone_partition_one_way",
     .doc = "a zone of the log's outbound traffic dropped",
     .effect = PartitionEffect::zone_outbound,
     .target = FaultTarget::log_zone,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::zone_cut_outbound,
     .promises = {.classic = up_to_limit(kFencingWhy), .diskless = always(kZoneWhy), .diskless_wal = always(kZoneWhy)}},
    {.kind = FaultKind::group_partition,
     .name = "group_partition",
     .doc = "the ingesters of one zone cut off from every node of the log",
     .effect = PartitionEffect::ingester_group,
     .target = FaultTarget::ingester_zone,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kZoneWhy)},
    {.kind = FaultKind::object_store_slow,
     .name = "object_store_slow",
     .doc = "object-store latency multiplied by `magnitude`",
     .effect = ObjectStoreEffect::slow,
     .target = FaultTarget::none,
     .magnitude = multiplier(10, 2, 20),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kObjectStoreWhy)},
    {.kind = FaultKind::object_store_stall,
     .name = "object_store_stall",
     .doc = "object-store requests hang for the duration",
     .effect = ObjectStoreEffect::stall,
     .target = FaultTarget::none,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kObjectStoreWhy)},
    {.kind = FaultKind::object_store_slow_down,
     .name = "object_store_slow_down",
     .doc = "object-store requests answered 503 SlowDown with probability `magnitude`",
     .effect = ObjectStoreEffect::slow_down,
     .target = FaultTarget::none,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kObjectStoreWhy)},
    {.kind = FaultKind::disk_slow,
     .name = "disk_slow",
     .doc = "an ingester's disk `magnitude` times slower",
     .effect = DiskEffect::slow,
     .target = FaultTarget::ingester,
     .magnitude = multiplier(10, 2, 20),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kDiskWhy)},
    {.kind = FaultKind::disk_fsync_errors,
     .name = "disk_fsync_errors",
     .doc = "an ingester's fsyncs fail with probability `magnitude`",
     .effect = DiskEffect::fsync_errors,
     .target = FaultTarget::ingester,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kDiskWhy)},
    {.kind = FaultKind::network_delay,
     .name = "network_delay",
     .doc = "messages delayed with probability `magnitude`",
     .effect = NetworkEffect::delay,
     .target = FaultTarget::none,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kNetworkWhy)},
    {.kind = FaultKind::network_drop,
     .name = "network_drop",
     .doc = "messages dropped with probability `magnitude`",
     .effect = NetworkEffect::drop,
     .target = FaultTarget::none,
     .magnitude = probability(0.05, 0.01, 0.1),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kNetworkWhy)},
    {.kind = FaultKind::broker_process_kill,
     .name = "broker_process_kill",
     .doc = "`magnitude` log nodes' processes killed and restarted; their machines, and with them what the OS "
            "holds (a classic broker's page cache), stay up",
     .effect = CrashEffect::kill_process,
     .target = FaultTarget::log_node,
     .magnitude = count(1, 1),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::processes_killed,
     .promises = log_node_crash("the page cache outlives the process: killed brokers lose nothing they wrote, "
                                "however many; but each is out of the ISRs until it catches up, so a broker machine "
                                "lost meanwhile may be the last ISR member, elected with only what it had flushed")},
    {.kind = FaultKind::network_duplicate,
     .name = "network_duplicate",
     .doc = "messages delivered twice with probability `magnitude`",
     .effect = NetworkEffect::duplicate,
     .target = FaultTarget::none,
     .magnitude = probability(0.05, 0.01, 0.1),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kDuplicateWhy)},
    {.kind = FaultKind::disk_full,
     .name = "disk_full",
     .doc = "an ingester's disk full: appends fail with no space until the fault heals",
     .effect = DiskEffect::full,
     .target = FaultTarget::ingester,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kFullDiskWhy)},
    {.kind = FaultKind::disk_corrupt_reads,
     .name = "disk_corrupt_reads",
     .doc = "an ingester's disk reads flip a byte with probability `magnitude`",
     .effect = DiskEffect::corrupt_reads,
     .target = FaultTarget::ingester,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = {never(kCorruptReadWhy), never(kCorruptReadWhy), never(kCorruptReadWhy)}},
    {.kind = FaultKind::log_disk_slow,
     .name = "log_disk_slow",
     .doc = "`magnitude` times slower disks on a log node (broker or agent)",
     .effect = DiskEffect::slow,
     .target = FaultTarget::log_node,
     .magnitude = multiplier(10, 2, 20),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kLogDiskWhy)},
    {.kind = FaultKind::log_disk_fsync_errors,
     .name = "log_disk_fsync_errors",
     .doc = "a log node's fsyncs fail with probability `magnitude`",
     .effect = DiskEffect::fsync_errors,
     .target = FaultTarget::log_node,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kLogDiskWhy)},
    {.kind = FaultKind::log_disk_full,
     .name = "log_disk_full",
     .doc = "a log node's disk full: appends fail with no space until the fault heals",
     .effect = DiskEffect::full,
     .target = FaultTarget::log_node,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kLogDiskWhy)},
    {.kind = FaultKind::log_disk_corrupt_reads,
     .name = "log_disk_corrupt_reads",
     .doc = "a log node's disk reads flip a byte with probability `magnitude` (its recovery reads)",
     .effect = DiskEffect::corrupt_reads,
     .target = FaultTarget::log_node,
     .magnitude = probability(0.3, 0.05, 0.5),
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::machines_lost,
     .promises = {up_to_limit(kLogCorruptReadWhy), always(kStatelessWhy), never(kWalCorruptReadWhy)}},
    {.kind = FaultKind::log_control_crash,
     .name = "log_control_crash",
     .doc = "the log's control plane crashes and restarts: the classic controller, the diskless metadata service",
     .effect = CrashEffect::crash,
     .target = FaultTarget::log_control,
     .magnitude = kNoMagnitude,
     .swarm_may_draw = true,
     .flavours = kEveryFlavour,
     .budget = BudgetCount::nothing,
     .promises = survived_by_all(kControlWhy)},
};

constexpr bool rows_in_kind_order() {
  if (std::size(kRows) != std::size(kAllFaultKinds)) return false;
  for (std::size_t i = 0; i < std::size(kRows); ++i) {
    if (kRows[i].kind != kAllFaultKinds[i] || static_cast<std::size_t>(kRows[i].kind) != i) return false;
  }
  return true;
}
static_assert(rows_in_kind_order(), "one row per FaultKind, in enum order");

// FaultInjector keeps its families by FaultFamily, built in
// kAllFaultFamilies order; FaultKindInfo::family() reads the effect's
// alternative as a FaultFamily.
constexpr bool families_in_enum_order() {
  for (std::size_t i = 0; i < std::size(kAllFaultFamilies); ++i) {
    if (static_cast<std::size_t>(kAllFaultFamilies[i]) != i) return false;
  }
  return true;
}
static_assert(families_in_enum_order());

template <FaultFamily family, class Effect>
constexpr bool is_family_of() {
  return std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(family), FaultEffect>, Effect>;
}
static_assert(std::variant_size_v<FaultEffect> == std::size(kAllFaultFamilies));
static_assert(is_family_of<FaultFamily::crash, CrashEffect>());
static_assert(is_family_of<FaultFamily::partition, PartitionEffect>());
static_assert(is_family_of<FaultFamily::disk, DiskEffect>());
static_assert(is_family_of<FaultFamily::object_store, ObjectStoreEffect>());
static_assert(is_family_of<FaultFamily::network, NetworkEffect>());

}  // namespace

bool FaultKindInfo::applies_to(LogFlavour flavour) const {
  switch (flavour) {
    case LogFlavour::classic: return flavours.classic;
    case LogFlavour::diskless: return flavours.diskless;
  }
  return false;
}

const FaultKindInfo& info(FaultKind kind) { return kRows[static_cast<std::size_t>(kind)]; }

std::span<const FaultKindInfo> fault_kind_rows() { return kRows; }

std::string_view to_string(FaultKind kind) { return info(kind).name; }

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (const FaultKindInfo& row : kRows) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

MagnitudeUnit magnitude_unit(FaultKind kind) { return info(kind).magnitude.unit; }

double default_magnitude(FaultKind kind) { return info(kind).magnitude.default_value; }

std::string_view to_string(Survival survival) {
  switch (survival) {
    case Survival::always: return "always";
    case Survival::up_to_limit: return "up to the limit";
    case Survival::never: return "beyond the budget";
  }
  return "?";
}

}  // namespace weir::scenarios
