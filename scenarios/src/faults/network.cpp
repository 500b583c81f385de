#include "network.h"

#include <algorithm>

#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {

std::vector<std::string> NetworkFamily::apply(ActiveFault& active) {
  (void)active;
  return {"network"};
}

void NetworkFamily::set_knobs(const ActiveFaults& active) {
  double drop = 0, delay = 0, duplicate = 0;
  for (const auto& [id, a] : active) {
    const auto* effect = std::get_if<NetworkEffect>(&info(a.fault.kind).effect);
    if (effect == nullptr) continue;
    switch (*effect) {
      case NetworkEffect::delay: delay = std::max(delay, a.fault.magnitude); break;
      case NetworkEffect::drop: drop = std::max(drop, a.fault.magnitude); break;
      case NetworkEffect::duplicate: duplicate = std::max(duplicate, a.fault.magnitude); break;
    }
  }
  world_.sim().network().options().drop_probability = drop;
  world_.sim().network().options().delay_probability = delay;
  world_.sim().network().options().duplicate_probability = duplicate;
}

}  // namespace weir::scenarios::faults
