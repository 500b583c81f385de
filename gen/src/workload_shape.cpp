#include "weir/gen/workload_shape.h"

#include <ostream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "one_of.h"

namespace weir::gen {

std::optional<std::string> WorkloadShapeOptions::validate() const {
  if (series_per_client_min < 1) return "series_per_client_min must be at least 1";
  if (series_per_client_max < series_per_client_min) return "series_per_client_max must be at least series_per_client_min";
  if (partitions_max < 1) return "partitions_max must be at least 1";
  return std::nullopt;
}

rc::Gen<WorkloadShape> workload_shape(const WorkloadShapeOptions& options) {
  if (auto error = options.validate()) throw std::invalid_argument("workload shape options: " + *error);
  // Listed simplest first: each shrinks toward the front.
  auto parts = rc::gen::tuple(rc::gen::inRange(options.series_per_client_min, options.series_per_client_max + 1),
                              one_of({15, 5, 1}),
                              one_of(options.reads ? std::vector<int>{5, 1, 15, 0} : std::vector<int>{0}),
                              rc::gen::inRange(1, options.partitions_max + 1));
  auto shape = rc::gen::map(std::move(parts), [](const auto& t) {
    const auto& [series, scrape_s, read_s, partitions] = t;
    return WorkloadShape{series, sim::Duration::seconds(scrape_s), sim::Duration::seconds(read_s), partitions};
  });
  return rc::gen::resize(kFullSize, std::move(shape));
}

scenarios::Scenario with_workload(const scenarios::Scenario& scenario, const WorkloadShape& shape) {
  return scenario.set(fmt::format("workload.series_per_client={}", shape.series_per_client))
      .set(fmt::format("workload.scrape_interval_ms={}", shape.scrape_interval.ns() / 1'000'000))
      .set(fmt::format("reads.interval_ms={}", shape.read_interval.ns() / 1'000'000))
      .set(fmt::format("log.partitions={}", shape.partitions));
}

void showValue(const WorkloadShape& shape, std::ostream& os) {
  os << fmt::format("{} series/client, scrape every {:.0f}s, read every {:.0f}s, {} partitions",
                    shape.series_per_client, shape.scrape_interval.seconds_f(), shape.read_interval.seconds_f(),
                    shape.partitions);
}

}  // namespace weir::gen
