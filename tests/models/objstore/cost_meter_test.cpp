// The cost meter's arithmetic on known byte and request counts.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "fixture.h"
#include "weir/models/cost_meter.h"

using namespace weir::models;
using namespace weir::models::objstore::testing;

namespace {
constexpr std::uint64_t kGiB = 1024ULL * 1024 * 1024;
}

TEST_CASE("cross-zone bytes cost $0.02 per GB, free classes nothing", "[cost]") {
  CloudUsage usage;
  usage.cross_zone_bytes_by_traffic = {{"replication", 3 * kGiB}, {"produce", kGiB / 2}, {"objstore", 10 * kGiB}};
  const CostReport r = CostMeter().price(usage);
  CHECK(r.cross_zone_usd_by_traffic.at("replication") == Approx(0.06));
  CHECK(r.cross_zone_usd_by_traffic.at("produce") == Approx(0.01));
  CHECK(r.cross_zone_usd_by_traffic.at("objstore") == 0.0);
  CHECK(r.billed_cross_zone_bytes == 3 * kGiB + kGiB / 2);
  CHECK(r.cross_zone_usd == Approx(0.07));
  CHECK(r.total_usd == Approx(0.07));
}

TEST_CASE("object-store requests and storage use S3 Standard prices", "[cost]") {
  CloudUsage usage;
  usage.object_store.put_requests = 2'000;
  usage.object_store.list_requests = 1'000;
  usage.object_store.get_requests = 10'000;
  usage.object_store.delete_requests = 5'000;
  usage.stored_byte_seconds = 2.0 * static_cast<double>(kGiB) * 730 * 3600;  // 2 GB for a month
  const CostReport r = CostMeter().price(usage);
  CHECK(r.put_usd == Approx(0.010));
  CHECK(r.list_usd == Approx(0.005));
  CHECK(r.get_usd == Approx(0.004));
  CHECK(r.delete_usd == 0.0);
  CHECK(r.requests_usd == Approx(0.019));
  CHECK(r.storage_usd == Approx(0.046));
  CHECK(r.total_usd == Approx(0.065));
}

TEST_CASE("prices are options", "[cost]") {
  CloudPrices p;
  p.cross_zone_usd_per_gb = 0.01;
  p.bytes_per_gb = 1e9;
  p.free_traffic.clear();
  CloudUsage usage;
  usage.cross_zone_bytes_by_traffic = {{"objstore", 4'000'000'000}};
  CHECK(CostMeter(p).price(usage).cross_zone_usd == Approx(0.04));
  p.put_usd_per_1000 = -1;
  CHECK(p.validate());
  CHECK_THROWS_AS(CostMeter(p), std::invalid_argument);
}

// A message nobody listens for: its bytes still cross the zones.
struct Bulk {
  static constexpr std::string_view kPort = "nobody";
  int value;
};

TEST_CASE("measure reads the network and the store of a run", "[cost]") {
  World w;
  w.run(0, [&](objstore::ObjectStoreClient& c) {
    for (int i = 0; i < 1000; ++i) REQUIRE(c.put(numbered("k", i), "v").ok());
    for (int i = 0; i < 1000; ++i) REQUIRE(c.get(numbered("k", i)).ok());
  });
  w.sim.network().send(w.clients[0], w.clients[1], weir::sim::Payload{Bulk{1}, kGiB, 0, "replication"});
  w.sim.network().send(w.clients[2], w.clients[1], weir::sim::Payload{Bulk{1}, kGiB, 0, "fetch"});
  w.sim.run();
  const CostReport r = CostMeter().measure(w.sim.network(), &w.store);
  CHECK(r.cross_zone_bytes_by_traffic.at("replication") == kGiB);
  CHECK(r.cross_zone_usd == Approx(0.04));
  CHECK(r.put_usd == Approx(0.005));
  CHECK(r.get_usd == Approx(0.0004));
  CHECK(r.storage_usd > 0.0);
  CHECK(CostMeter().measure(w.sim.network(), nullptr).requests_usd == 0.0);
}
