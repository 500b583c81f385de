#include "object_store.h"

#include <algorithm>

#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {

std::vector<std::string> ObjectStoreFamily::apply(ActiveFault& active) {
  (void)active;
  return {"object-store"};
}

void ObjectStoreFamily::set_knobs(const ActiveFaults& active) {
  models::objstore::ObjectStoreFaults store = world_.object_store().faults();
  store.latency_multiplier = 1.0;
  store.slow_down_probability = 0.0;
  store.stalls.clear();
  for (const auto& [id, a] : active) {
    const auto* effect = std::get_if<ObjectStoreEffect>(&info(a.fault.kind).effect);
    if (effect == nullptr) continue;
    const double m = a.fault.magnitude;
    switch (*effect) {
      case ObjectStoreEffect::slow: store.latency_multiplier = std::max(store.latency_multiplier, m); break;
      case ObjectStoreEffect::slow_down: store.slow_down_probability = std::max(store.slow_down_probability, m); break;
      case ObjectStoreEffect::stall:
        store.stalls.push_back({sim::Time::zero() + a.fault.at, sim::Time::zero() + a.fault.at + a.fault.duration});
        break;
    }
  }
  world_.object_store().set_faults(store);
}

}  // namespace weir::scenarios::faults
