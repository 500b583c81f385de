#include "disk.h"

#include <algorithm>
#include <map>
#include <utility>

#include "targets.h"
#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {

std::vector<std::string> DiskFamily::apply(ActiveFault& active) {
  active.nodes = target_nodes(world_, active.fault);
  for (sim::NodeId node : active.nodes) {
    if (std::find(faulted_.begin(), faulted_.end(), node) == faulted_.end()) faulted_.push_back(node);
  }
  return {};
}

void DiskFamily::set_knobs(const ActiveFaults& active) {
  std::map<sim::NodeId, std::pair<double, double>> disks;  // slow multiplier, fsync error probability
  for (sim::NodeId node : faulted_) disks[node] = {1.0, 0.0};
  for (const auto& [id, a] : active) {
    const auto* effect = std::get_if<DiskEffect>(&info(a.fault.kind).effect);
    if (effect == nullptr) continue;
    const double m = a.fault.magnitude;
    for (sim::NodeId node : a.nodes) {
      switch (*effect) {
        case DiskEffect::slow: disks[node].first = std::max(disks[node].first, m); break;
        case DiskEffect::fsync_errors: disks[node].second = std::max(disks[node].second, m); break;
      }
    }
  }
  for (const auto& [node, knobs] : disks) {
    auto& disk = world_.sim().node(node).disk().options();
    disk.slow_multiplier = knobs.first;
    disk.fsync_error_probability = knobs.second;
  }
}

}  // namespace weir::scenarios::faults
