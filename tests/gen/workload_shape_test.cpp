// weir::gen workload shapes: generated within their options, applied as
// overrides, and usable as the input of a property over whole runs.
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/gen/workload_shape.h"

using namespace weir;
using sim::Duration;

TEST_CASE("generated workload shapes keep to their options", "[gen]") {
  CHECK(rc::check("shape within options", [] {
    gen::WorkloadShapeOptions o;
    o.series_per_client_max = 50;
    o.partitions_max = 3;
    const auto shape = *gen::workload_shape(o);
    RC_ASSERT(shape.series_per_client >= 1);
    RC_ASSERT(shape.series_per_client <= 50);
    RC_ASSERT(shape.partitions >= 1);
    RC_ASSERT(shape.partitions <= 3);
    RC_ASSERT(shape.scrape_interval >= Duration::seconds(1));
    RC_ASSERT(shape.read_interval <= Duration::seconds(15));
  }));
  CHECK(rc::check("no reads when reads are off", [] {
    gen::WorkloadShapeOptions o;
    o.reads = false;
    RC_ASSERT((*gen::workload_shape(o)).read_interval == Duration());
  }));
}

TEST_CASE("a shape's fields shrink toward the ordinary: the default scrape interval first", "[gen]") {
  gen::WorkloadShapeOptions o;
  o.series_per_client_max = 50;
  const auto generator = gen::workload_shape(o);
  int shrunk_to_default = 0;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const auto drawn = generator(rc::Random(seed), 100);
    if (drawn.value().scrape_interval == Duration::seconds(15)) continue;
    // Follow the first shrink that changes the scrape interval.
    auto shrinks = drawn.shrinks();
    while (auto next = shrinks.next()) {
      if (next->value().scrape_interval == drawn.value().scrape_interval) continue;
      shrunk_to_default += next->value().scrape_interval == Duration::seconds(15);
      break;
    }
  }
  CHECK(shrunk_to_default > 0);
}

TEST_CASE("a shape applies to a scenario as overrides", "[gen]") {
  const gen::WorkloadShape shape{7, Duration::seconds(5), Duration::seconds(1), 3};
  const auto scenario = gen::with_workload(scenarios::Scenario::builtin("baseline-diskless"), shape);
  CHECK(scenario.options().series_per_client == 7);
  CHECK(scenario.options().scrape_interval == Duration::seconds(5));
  CHECK(scenario.options().reads.interval == Duration::seconds(1));
  CHECK(scenario.options().log.partitions == 3);
  CHECK(scenario.reproduce_command(4).find("--set log.partitions=3") != std::string::npos);
  std::ostringstream shown;
  gen::showValue(shape, shown);
  CHECK(shown.str() == "7 series/client, scrape every 5s, read every 1s, 3 partitions");
}

TEST_CASE("bad shape options are refused with their name", "[gen]") {
  gen::WorkloadShapeOptions o;
  o.partitions_max = 0;
  CHECK_THROWS_WITH(gen::workload_shape(o), Catch::Contains("partitions_max must be at least 1"));
}

TEST_CASE("property: a healthy diskless pipeline loses nothing, whatever its workload shape", "[gen]") {
  const auto base = scenarios::Scenario::builtin("baseline-diskless")
                        .set("workload.clients_per_zone=1")  // a light load: these run hundreds of times
                        .set("workload.batch_send_deadline_ms=5000")
                        .set("phases.safety_ms=30000")
                        .set("phases.drain_ms=20000");
  gen::WorkloadShapeOptions o;
  o.series_per_client_max = 30;
  o.partitions_max = 4;
  CHECK(rc::check("every shape passes", [&] {
    const auto shape = *gen::workload_shape(o);
    const auto result = gen::with_workload(base, shape).run(3);
    RC_ASSERT(result.violations.empty());
    RC_ASSERT(result.counters.at("samples_acked") > 0);
  }));
}
