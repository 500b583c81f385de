// Produce latency with the default options, and the cross-zone bytes of a
// zone-local produce and fetch workload.
#include <catch2/catch.hpp>

#include <algorithm>

#include "weir/models/cost_meter.h"
#include "world.h"

using namespace weir::models::kafka;
using namespace weir::models::kafka::diskless;
using namespace weir::models::kafka::diskless::testing;
using weir::sim::Duration;

TEST_CASE("produce latency with defaults: p99 around 400 ms", "[diskless][latency]") {
  World w;
  std::vector<double> latencies_ms;
  // A steady load: every 20 ms each zone sends one produce request.
  for (std::size_t zone = 0; zone < 3; ++zone) {
    const weir::sim::NodeId node = w.clients[zone];
    w.sim.spawn(node, [&w, &latencies_ms, node, zone] {
      weir::sim::Random r = w.sim.random("load").fork(std::to_string(zone));
      for (std::uint64_t i = 0; i < 400; ++i) {
        const auto partition = static_cast<std::int32_t>(r.below(4));
        w.sim.spawn(node, [&w, &latencies_ms, node, partition, i] {
          Speaker s(w.sim, node, w.cluster);
          const Ack ack = s.produce(kTopic, partition, {make_record("tenant", numbered("sample-", i))});
          if (ack.error == ErrorCode::none) latencies_ms.push_back(ack.latency.milliseconds_f());
        });
        w.sim.sleep(Duration::milliseconds(20));
      }
    });
  }
  w.sim.run_for(Duration::seconds(12));
  REQUIRE(latencies_ms.size() == 1200);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p50 = latencies_ms[latencies_ms.size() / 2];
  const double p99 = latencies_ms[latencies_ms.size() * 99 / 100];
  INFO("p50 " << p50 << " ms, p99 " << p99 << " ms");
  CHECK(p50 > 100);
  CHECK(p50 < 300);
  CHECK(p99 > 250);
  CHECK(p99 < 1000);
}

TEST_CASE("zone-local produce and fetch cross no zone except for metadata", "[diskless][cost]") {
  World w;
  for (std::size_t zone = 0; zone < 3; ++zone) {
    w.spawn(zone, [zone](Speaker& s) {
      for (std::uint64_t i = 0; i < 10; ++i) {
        REQUIRE(s.produce(kTopic, static_cast<std::int32_t>(i % 4), {make_record(s.zone(), std::string(2000, 'x'))})
                    .error == ErrorCode::none);
      }
      for (std::int32_t partition = 0; partition < 4; ++partition) REQUIRE(s.read_all(kTopic, partition));
      (void)zone;
    });
  }
  w.sim.run_for(Duration::seconds(20));
  const auto by_traffic = w.sim.network().cross_zone_bytes_by_traffic();
  CHECK(by_traffic.count(std::string(kTrafficReplication)) == 0);
  CHECK(by_traffic.count(std::string(kTrafficProduce)) == 0);
  CHECK(by_traffic.count(std::string(kTrafficFetch)) == 0);
  CHECK(by_traffic.count("objstore") == 0);
  CHECK(by_traffic.at(std::string(kTrafficMetadata)) > 0);  // the control plane lives in one zone
  // Data bytes (60 records of 2 KB, read in 3 zones) dwarf what crossed zones.
  CHECK(w.sim.network().cross_zone_bytes() < 60 * 2000);
  const weir::models::CostReport cost = weir::models::CostMeter().measure(w.sim.network(), &w.store);
  CHECK(cost.cross_zone_usd_by_traffic.count(std::string(kTrafficReplication)) == 0);
  CHECK(cost.put_usd > 0);
}
