// RapidCheck generators of workload shapes: how much a scenario writes and
// reads, and over how many partitions (see docs/property-tests.md).
//
// Each field shrinks toward the smallest, most ordinary value: few series,
// the default 15 s scrape interval, few partitions, reads every 5 s.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <rapidcheck.h>

#include "weir/scenarios/scenario.h"
#include "weir/sim/time.h"

namespace weir::gen {

struct WorkloadShape {
  int series_per_client = 100;  // one Prometheus client per zone
  sim::Duration scrape_interval = sim::Duration::seconds(15);
  sim::Duration read_interval = sim::Duration::seconds(5);  // 0: no reader
  int partitions = 4;
};

struct WorkloadShapeOptions {
  int series_per_client_min = 1;
  int series_per_client_max = 200;
  int partitions_max = 8;
  bool reads = true;  // false: read_interval is always 0

  std::optional<std::string> validate() const;
};

// Throws std::invalid_argument when the options are invalid.
rc::Gen<WorkloadShape> workload_shape(const WorkloadShapeOptions& options);
// `scenario` with this shape, as overrides (so its reproduction line carries it).
scenarios::Scenario with_workload(const scenarios::Scenario& scenario, const WorkloadShape& shape);

void showValue(const WorkloadShape& shape, std::ostream& os);

}  // namespace weir::gen
