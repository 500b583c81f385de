// Private: per (zone, partition), offsets applied in order within each run.
#include "apply_order.h"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "ingester_timeline.h"

namespace weir::properties::detail {
namespace {

// One ingester's runs: the restart that opened the current one and the last
// record it applied.
class ApplyOrder {
 public:
  ApplyOrder(const ZonePartition& key, ViolationSink& sink)
      : key_(key), where_(fmt::format("zone {} partition {}", key.first, key.second)), sink_(sink) {}

  void on(const IngesterEvent& event) {
    if (event.kind == IngesterEventKind::restarted) {
      restart_ = &event;
      last_ = nullptr;
    }
    if (event.kind != IngesterEventKind::applied) return;
    sink_.judged();
    if (const auto lowest = lowest_allowed(); lowest && event.offset < *lowest) report(event);
    last_ = &event;
  }

 private:
  // The lowest offset the current run may apply next.
  std::optional<Offset> lowest_allowed() const {
    if (last_ != nullptr) return last_->offset + 1;
    if (restart_ != nullptr) return restart_->offset;
    return std::nullopt;
  }

  std::string run() const {
    return restart_ != nullptr ? fmt::format("the run since the restart at {} (resumed at offset {})",
                                             format_time(restart_->at), restart_->offset)
                               : std::string("the run since the first start (no restart)");
  }

  void report(const IngesterEvent& event) const {
    const SimTime since = last_ != nullptr ? last_->at : restart_ != nullptr ? restart_->at : event.at;
    const Evidence evidence = at_ingester(key_.first, key_.second, event.offset, since, event.at);
    const std::string applied =
        fmt::format("{}: applied offset {} at {}", where_, event.offset, format_time(event.at));
    if (last_ == nullptr) {
      sink_.add(fmt::format("{}, first in {}: below the resume offset", applied, run()), evidence);
    } else if (event.offset == last_->offset) {
      sink_.add(fmt::format("{} again, right after applying it at {}, in {}", applied,
                            format_time(last_->at), run()),
                evidence);
    } else {
      sink_.add(fmt::format("{} after offset {} at {}, in {}: out of order", applied, last_->offset,
                            format_time(last_->at), run()),
                evidence);
    }
  }

  ZonePartition key_;
  std::string where_;
  ViolationSink& sink_;
  const IngesterEvent* restart_ = nullptr;
  const IngesterEvent* last_ = nullptr;
};

}  // namespace

void check_apply_order(const History& history, ViolationSink& sink) {
  for (const auto& [key, events] : events_by_zone_partition(history)) {
    ApplyOrder order(key, sink);
    for (const IngesterEvent* event : events) order.on(*event);
  }
}

}  // namespace weir::properties::detail
