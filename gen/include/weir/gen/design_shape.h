// RapidCheck generators of design shapes: which log, how it is replicated,
// how many partitions and ingester zones, for property tests across designs
// ("does this hold on every design we might move to?"; see
// docs/property-tests.md).
//
// Each field shrinks toward the most ordinary design: a classic log of 3
// brokers, replication factor 3, min.insync.replicas 2; one agent per zone;
// two ingester zones; few partitions. A drawn design is always valid: the
// replication factor is at most the brokers, min.insync.replicas at most the
// replication factor. Hazard knobs (unclean leader election, acks before the
// metadata commit) are never drawn.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "weir/scenarios/log_topology.h"
#include "weir/scenarios/scenario.h"

namespace weir::gen {

struct DesignShape {
  scenarios::LogFlavour flavour = scenarios::LogFlavour::classic;
  int partitions = 4;
  int ingester_zones = 2;  // the first N of the log's zones
  // Classic only.
  int brokers = 3;
  int replication_factor = 3;
  int min_insync_replicas = 2;
  // Diskless only.
  int agents_per_zone = 1;
  bool automq_wal_mode = false;
};

struct DesignShapeOptions {
  std::vector<scenarios::LogFlavour> flavours = {scenarios::LogFlavour::classic, scenarios::LogFlavour::diskless};
  int partitions_max = 8;
  int brokers_max = 5;          // from 3
  int agents_per_zone_max = 2;  // from 1

  std::optional<std::string> validate() const;
};

// Throws std::invalid_argument when the options are invalid.
rc::Gen<DesignShape> design_shape(const DesignShapeOptions& options);
// `scenario` with this design, as overrides (so its reproduction line
// carries it). The scenario's log keeps its three zones; the ingester zones
// are the first `ingester_zones` of them.
scenarios::Scenario with_design(const scenarios::Scenario& scenario, const DesignShape& design);

// "classic, 4 partitions, 2 ingester zones, 3 brokers RF 3 min ISR 2".
void showValue(const DesignShape& design, std::ostream& os);

}  // namespace weir::gen
