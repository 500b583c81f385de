#include "weir/replay/fault_pairing.h"

#include <algorithm>
#include <utility>

namespace weir::replay {
namespace {

// The index of `name` in the file's kinds, or kinds.size() if absent.
std::uint32_t kind_index(const TraceFile& file, std::string_view name) {
  const auto it = std::find(file.kinds.begin(), file.kinds.end(), name);
  return static_cast<std::uint32_t>(it - file.kinds.begin());
}

struct Group {
  std::vector<std::uint64_t> events;  // applications and heals, in order
  int active = 0;
  bool overlapped = false;
};

using Key = std::pair<std::uint32_t, std::uint64_t>;  // node, digest

class Pairer {
 public:
  FaultPairing finish() {
    for (auto& [key, group] : open_) leave_unpaired(group);
    open_.clear();
    std::sort(result_.unpaired.begin(), result_.unpaired.end());
    return std::move(result_);
  }

  void applied(std::uint64_t index, const Key& key) {
    Group& group = open_[key];
    group.events.push_back(index);
    if (++group.active > 1) group.overlapped = true;
  }

  void healed(std::uint64_t index, const Key& key) {
    const auto it = open_.find(key);
    if (it == open_.end()) {
      result_.unpaired.push_back(index);
      return;
    }
    Group& group = it->second;
    group.events.push_back(index);
    if (--group.active > 0) return;
    if (group.overlapped) {
      leave_unpaired(group);
    } else {
      result_.partner[group.events[0]] = group.events[1];
      result_.partner[group.events[1]] = group.events[0];
    }
    open_.erase(it);
  }

  // heal_all heals every active fault without a heal of its own.
  void healed_all() {
    for (auto& [key, group] : open_) leave_unpaired(group);
    open_.clear();
  }

 private:
  void leave_unpaired(const Group& group) {
    result_.unpaired.insert(result_.unpaired.end(), group.events.begin(), group.events.end());
  }

  std::map<Key, Group> open_;
  FaultPairing result_;
};

}  // namespace

FaultPairing pair_faults(const TraceFile& file) {
  const std::uint32_t applied = kind_index(file, kFaultAppliedKind);
  const std::uint32_t healed = kind_index(file, kFaultHealedKind);
  const std::uint32_t healed_all = kind_index(file, kFaultsHealedAllKind);
  Pairer pairer;
  for (std::uint64_t i = 0; i < file.events.size(); ++i) {
    const RecordedEvent& event = file.events[i];
    if (event.kind == applied) pairer.applied(i, {event.node, event.digest});
    else if (event.kind == healed) pairer.healed(i, {event.node, event.digest});
    else if (event.kind == healed_all) pairer.healed_all();
  }
  return pairer.finish();
}

}  // namespace weir::replay
