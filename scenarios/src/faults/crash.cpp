#include "crash.h"

#include "targets.h"
#include "weir/models/mimir/ingester.h"
#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {
namespace {

constexpr sim::Duration kStopPollInterval = sim::Duration::milliseconds(50);

}  // namespace

CrashFamily::CrashFamily(PipelineWorld& world) : world_(world), sim_(world.sim()) {}

std::vector<std::string> CrashFamily::apply(ActiveFault& active) {
  const std::vector<sim::NodeId> nodes = target_nodes(world_, active.fault);
  switch (std::get<CrashEffect>(info(active.fault.kind).effect)) {
    case CrashEffect::stop_cleanly:
      stop_cleanly(nodes.front());
      if (!stopped_) crash(active, nodes);
      break;
    case CrashEffect::crash:
      crash(active, nodes);
      break;
    case CrashEffect::crash_tearing_last_write: {
      auto& disk = sim_.node(nodes.front()).disk().options();
      const bool torn = disk.torn_last_write;
      disk.torn_last_write = true;
      crash(active, {nodes.front()});
      disk.torn_last_write = torn;
      break;
    }
    case CrashEffect::crash_losing_disk:
      crash(active, nodes);
      for (sim::NodeId node : active.nodes) sim_.node(node).disk().wipe();
      break;
    case CrashEffect::kill_process:
      for (sim::NodeId node : nodes) world_.log().before_process_kill(node);
      crash(active, nodes);
      break;
  }
  return {};
}

void CrashFamily::heal(const ActiveFault& active) {
  for (sim::NodeId node : active.nodes) {
    if (--down_count_[node] == 0) sim_.start(node);
  }
}

void CrashFamily::heal_all() {
  down_count_.clear();
  stopped_ = true;
}

void CrashFamily::crash(ActiveFault& active, const std::vector<sim::NodeId>& nodes) {
  for (sim::NodeId node : nodes) {
    active.nodes.push_back(node);
    ++down_count_[node];
    sim_.crash(node);
  }
}

// The ingester has no shutdown path of its own: wait (at most
// FaultInjector::kStopWaitMax) until it has committed what it consumed,
// which it does only after fsyncing its WAL.
void CrashFamily::stop_cleanly(sim::NodeId ingester) {
  const sim::Time give_up = sim_.now() + FaultInjector::kStopWaitMax;
  while (!stopped_ && sim_.now() < give_up && sim_.node(ingester).up()) {
    const auto* process = dynamic_cast<const models::mimir::Ingester*>(sim_.node(ingester).process());
    if (process == nullptr || process->last_committed_offset() >= process->last_consumed_offset()) return;
    sim_.sleep(kStopPollInterval);
  }
}

}  // namespace weir::scenarios::faults
