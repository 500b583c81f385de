#include "weir/replay/trace_recorder.h"

#include <algorithm>
#include <string>

namespace weir::replay {

std::uint32_t TraceRecorder::kind_index(const sim::TraceKind& kind) {
  const auto [it, inserted] = kind_by_id_.try_emplace(kind.id(), static_cast<std::uint32_t>(file_.kinds.size()));
  if (inserted) {
    file_.kinds.emplace_back(kind.name());
    file_.kind_texts.emplace_back(kind.text());
  }
  return it->second;
}

void TraceRecorder::on_event(const sim::TraceEvent& event) {
  const auto first = static_cast<std::uint32_t>(file_.values.size());
  const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(event.fields.size(), kMaxEventFields));
  for (std::uint32_t i = 0; i < count; ++i) {
    const sim::TraceField& field = event.fields[i];
    if (field.is_text()) {
      file_.texts.emplace_back(field.text());
      file_.values.push_back(RecordedValue{0, static_cast<std::int32_t>(file_.texts.size() - 1)});
    } else {
      file_.values.push_back(RecordedValue{field.number(), -1});
    }
  }
  file_.events.push_back(
      RecordedEvent{event.time.ns(), event.node, kind_index(event.kind), event.digest, first, count});
}

}  // namespace weir::replay
