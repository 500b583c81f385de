#include "weir/replay/comparing_sink.h"

#include <fmt/format.h>

#include "weir/sim/hash.h"

namespace weir::replay {

ComparingSink::ComparingSink(const TraceFile& recorded) : recorded_(recorded) {
  kind_ids_.reserve(recorded.kinds.size());
  for (const auto& name : recorded.kinds) kind_ids_.push_back(sim::fnv1a64(name));
}

EventView ComparingSink::recorded_view(std::uint64_t index) const {
  if (index >= recorded_.events.size()) return {};
  const RecordedEvent& e = recorded_.events[index];
  return EventView{true, e.time_ns, e.node, recorded_.kind_name(e), e.digest};
}

void ComparingSink::on_event(const sim::TraceEvent& event) {
  const std::uint64_t index = seen_++;
  if (divergence_) return;
  if (index < recorded_.events.size()) {
    const RecordedEvent& e = recorded_.events[index];
    if (e.time_ns == event.time.ns() && e.node == event.node && kind_ids_[e.kind] == event.kind.id() &&
        e.digest == event.digest) {
      return;
    }
  }
  divergence_ = Divergence{index, recorded_view(index),
                           EventView{true, event.time.ns(), event.node, std::string(event.kind.name()), event.digest}};
}

void ComparingSink::finish() {
  if (divergence_ || seen_ >= recorded_.events.size()) return;
  divergence_ = Divergence{seen_, recorded_view(seen_), EventView{}};
}

std::string describe(std::uint64_t index, const EventView& event, const std::vector<std::string>& node_names) {
  if (!event.present) return fmt::format("event {}: none (the run ended)", index);
  std::string node;
  if (event.node == sim::kNoNode) {
    node = "system";
  } else if (event.node < node_names.size()) {
    node = node_names[event.node];
  } else {
    node = fmt::format("node#{}", event.node);
  }
  return fmt::format("event {} t={}.{:09}s node {} kind {} digest {:016x}", index, event.time_ns / 1'000'000'000,
                     event.time_ns % 1'000'000'000, node, event.kind, event.digest);
}

}  // namespace weir::replay
