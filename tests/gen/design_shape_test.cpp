// weir::gen design shapes: always valid designs, applied as overrides, the
// same for the same RapidCheck seed, and usable as the input of a property
// over whole runs.
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/gen/design_shape.h"

using namespace weir;
using scenarios::LogFlavour;

TEST_CASE("drawn designs are valid and cover their ranges", "[gen]") {
  gen::DesignShapeOptions o;
  o.partitions_max = 6;
  const auto generator = gen::design_shape(o);
  int classic = 0, diskless = 0, brokers_max = 0, rf_below_brokers = 0, three_zones = 0, wal = 0;
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const gen::DesignShape d = generator(rc::Random(seed), 0).value();  // size 0: ranges are full all the same
    REQUIRE(d.partitions >= 1);
    REQUIRE(d.partitions <= 6);
    REQUIRE(d.ingester_zones >= 1);
    REQUIRE(d.ingester_zones <= 3);
    REQUIRE(d.replication_factor <= d.brokers);
    REQUIRE(d.min_insync_replicas <= d.replication_factor);
    REQUIRE(d.min_insync_replicas >= 1);
    classic += d.flavour == LogFlavour::classic;
    diskless += d.flavour == LogFlavour::diskless;
    brokers_max = std::max(brokers_max, d.brokers);
    rf_below_brokers += d.replication_factor < d.brokers;
    three_zones += d.ingester_zones == 3;
    wal += d.automq_wal_mode;
  }
  CHECK(classic > 0);
  CHECK(diskless > 0);
  CHECK(brokers_max == o.brokers_max);
  CHECK(rf_below_brokers > 0);
  CHECK(three_zones > 0);
  CHECK(wal > 0);
}

TEST_CASE("a design applies to a scenario as overrides, for either log", "[gen]") {
  const auto base = scenarios::Scenario::builtin("baseline-classic");
  gen::DesignShape classic{LogFlavour::classic, 3, 3, 5, 2, 1, 1, false};
  const auto c = gen::with_design(base, classic);
  CHECK(c.options().log.flavour == LogFlavour::classic);
  CHECK(c.options().log.partitions == 3);
  CHECK(c.options().ingester_zones == std::vector<std::string>{"zone-a", "zone-b", "zone-c"});
  CHECK(c.loader().spec().log().classic().brokers() == 5);
  CHECK(c.loader().spec().log().classic().replication_factor() == 2);
  CHECK(c.loader().spec().log().classic().min_insync_replicas() == 1);

  gen::DesignShape diskless{LogFlavour::diskless, 2, 1, 3, 3, 2, 2, true};
  const auto d = gen::with_design(base, diskless);
  CHECK(d.options().log.flavour == LogFlavour::diskless);
  CHECK(d.options().ingester_zones == std::vector<std::string>{"zone-a"});
  CHECK(d.loader().spec().log().diskless().agents_per_zone() == 2);
  CHECK(d.loader().spec().log().diskless().automq_wal_mode());
  CHECK(d.reproduce_command(1).find("--set 'ingester_zones=[\"zone-a\"]'") != std::string::npos);

  std::ostringstream shown;
  gen::showValue(classic, shown);
  CHECK(shown.str() == "classic, 3 partitions, 3 ingester zones, 5 brokers RF 2 min ISR 1");
}

TEST_CASE("the same RapidCheck seed draws the same design", "[gen]") {
  const auto generator = gen::design_shape({});
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::ostringstream a, b;
    gen::showValue(generator(rc::Random(seed), 100).value(), a);
    gen::showValue(generator(rc::Random(seed), 100).value(), b);
    CHECK(a.str() == b.str());
  }
}

TEST_CASE("bad design options are refused with their name", "[gen]") {
  gen::DesignShapeOptions o;
  o.flavours.clear();
  CHECK_THROWS_WITH(gen::design_shape(o), Catch::Contains("flavours must not be empty"));
  o = {};
  o.brokers_max = 2;
  CHECK_THROWS_WITH(gen::design_shape(o), Catch::Contains("brokers_max must be at least 3"));
}

TEST_CASE("property: with no faults, every design keeps every property", "[gen]") {
  const auto base = scenarios::Scenario::builtin("baseline-classic")
                        .set("workload.clients_per_zone=1")  // a light load: these run hundreds of times
                        .set("workload.batch_send_deadline_ms=5000")
                        .set("workload.series_per_client=20")
                        .set("phases.safety_ms=30000")
                        .set("phases.drain_ms=30000");
  CHECK(rc::check("every design passes", [&] {
    const gen::DesignShape design = *gen::design_shape({.partitions_max = 4});
    const auto result = gen::with_design(base, design).run(2);
    RC_LOG() << result.reproduce_command() << "\n";
    RC_ASSERT(result.violations.empty());
    RC_ASSERT(result.counters.at("samples_acked") > 0);
  }));
}
