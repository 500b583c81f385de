#include "weir/gen/design_shape.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

#include "one_of.h"

namespace weir::gen {
namespace {

constexpr int kLogZones = 3;  // zone-a, zone-b, zone-c: the spec's default

std::string ingester_zones_list(int count) {
  std::string list;
  for (int i = 0; i < count; ++i) {
    if (!list.empty()) list += ", ";
    list += fmt::format("\"zone-{}\"", static_cast<char>('a' + i));
  }
  return fmt::format("[{}]", list);
}

}  // namespace

std::optional<std::string> DesignShapeOptions::validate() const {
  if (flavours.empty()) return "flavours must not be empty";
  if (partitions_max < 1) return "partitions_max must be at least 1";
  if (brokers_max < 3) return "brokers_max must be at least 3";
  if (agents_per_zone_max < 1) return "agents_per_zone_max must be at least 1";
  return std::nullopt;
}

rc::Gen<DesignShape> design_shape(const DesignShapeOptions& options) {
  if (auto error = options.validate()) throw std::invalid_argument("design shape options: " + *error);
  std::vector<int> flavours;
  for (scenarios::LogFlavour f : options.flavours) flavours.push_back(static_cast<int>(f));
  auto log = rc::gen::tuple(one_of(flavours), rc::gen::inRange(1, options.partitions_max + 1), one_of({2, 3, 1}));
  auto replication = rc::gen::tuple(rc::gen::inRange(3, options.brokers_max + 1), one_of({3, 2, 1}), one_of({2, 1, 3}),
                                    rc::gen::inRange(1, options.agents_per_zone_max + 1), one_of({0, 1}));
  auto design = rc::gen::map(rc::gen::tuple(std::move(log), std::move(replication)), [](const auto& t) {
    const auto& [flavour, partitions, zones] = std::get<0>(t);
    const auto& [brokers, rf, min_isr, agents, wal] = std::get<1>(t);
    DesignShape d;
    d.flavour = static_cast<scenarios::LogFlavour>(flavour);
    d.partitions = partitions;
    d.ingester_zones = zones;
    d.brokers = brokers;
    d.replication_factor = std::min(rf, brokers);
    d.min_insync_replicas = std::min(min_isr, d.replication_factor);
    d.agents_per_zone = agents;
    d.automq_wal_mode = wal != 0;
    return d;
  });
  return rc::gen::resize(kFullSize, std::move(design));
}

scenarios::Scenario with_design(const scenarios::Scenario& scenario, const DesignShape& d) {
  if (d.ingester_zones < 1 || d.ingester_zones > kLogZones) {
    throw std::invalid_argument(fmt::format("design shape: ingester_zones {} is not in [1, {}]", d.ingester_zones,
                                            kLogZones));
  }
  scenarios::Scenario s = scenario.set("log.zones=[\"zone-a\", \"zone-b\", \"zone-c\"]")
                              .set(fmt::format("ingester_zones={}", ingester_zones_list(d.ingester_zones)))
                              .set(fmt::format("log.flavour={}", scenarios::to_string(d.flavour)))
                              .set(fmt::format("log.partitions={}", d.partitions));
  if (d.flavour == scenarios::LogFlavour::classic) {
    // Every override must leave a valid spec (min ISR <= RF <= brokers), so
    // both come down to 1 before the new values go in.
    return s.set("log.classic.min_insync_replicas=1")
        .set("log.classic.replication_factor=1")
        .set(fmt::format("log.classic.brokers={}", d.brokers))
        .set(fmt::format("log.classic.replication_factor={}", d.replication_factor))
        .set(fmt::format("log.classic.min_insync_replicas={}", d.min_insync_replicas));
  }
  return s.set(fmt::format("log.diskless.agents_per_zone={}", d.agents_per_zone))
      .set(fmt::format("log.diskless.automq_wal_mode={}", d.automq_wal_mode));
}

void showValue(const DesignShape& d, std::ostream& os) {
  os << fmt::format("{}, {} partitions, {} ingester zones, ", scenarios::to_string(d.flavour), d.partitions,
                    d.ingester_zones);
  if (d.flavour == scenarios::LogFlavour::classic) {
    os << fmt::format("{} brokers RF {} min ISR {}", d.brokers, d.replication_factor, d.min_insync_replicas);
  } else {
    os << fmt::format("{} agents per zone{}", d.agents_per_zone, d.automq_wal_mode ? ", AutoMQ WAL" : "");
  }
}

}  // namespace weir::gen
