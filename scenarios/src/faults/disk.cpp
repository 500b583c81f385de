#include "disk.h"

#include <algorithm>
#include <map>
#include <utility>

#include "weir/sim/disk.h"

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

namespace {

// One disk's knobs, the largest of its active faults'.
struct DiskKnobs {
  double slow_multiplier = 1.0;
  double fsync_error_probability = 0.0;
  bool full = false;
  double corrupt_read_probability = 0.0;
};

}  // namespace

void DiskFamily::set_knobs(const ActiveFaults& active) {
  std::map<sim::NodeId, DiskKnobs> disks;
  for (sim::NodeId node : faulted_) disks[node] = {};
  for (const auto& [id, a] : active) {
    const auto* effect = std::get_if<DiskEffect>(&info(a.fault.kind).effect);
    if (effect == nullptr) continue;
    const double m = a.fault.magnitude;
    for (sim::NodeId node : a.nodes) {
      DiskKnobs& knobs = disks[node];
      switch (*effect) {
        case DiskEffect::slow: knobs.slow_multiplier = std::max(knobs.slow_multiplier, m); break;
        case DiskEffect::fsync_errors: knobs.fsync_error_probability = std::max(knobs.fsync_error_probability, m); break;
        case DiskEffect::full: knobs.full = true; break;
        case DiskEffect::corrupt_reads:
          knobs.corrupt_read_probability = std::max(knobs.corrupt_read_probability, m);
          break;
      }
    }
  }
  for (const auto& [node, knobs] : disks) {
    sim::Disk& disk = world_.sim().node(node).disk();
    sim::DiskOptions& options = disk.options();
    options.slow_multiplier = knobs.slow_multiplier;
    options.fsync_error_probability = knobs.fsync_error_probability;
    options.corrupt_read_probability = knobs.corrupt_read_probability;
    // Full: no byte more than it holds now (a disk that was full stays at its size).
    if (!knobs.full) {
      options.capacity_bytes = 0;
    } else if (options.capacity_bytes == 0) {
      options.capacity_bytes = std::max<std::uint64_t>(disk.used_bytes(), 1);
    }
  }
}

}  // namespace weir::scenarios::faults
