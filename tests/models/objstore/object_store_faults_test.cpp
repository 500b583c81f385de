// Each object-store fault and its effect, including the ambiguous timed-out PUT.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "fixture.h"

using namespace weir::models::objstore;
using namespace weir::models::objstore::testing;
using weir::sim::Duration;
using weir::sim::Time;

TEST_CASE("the slow fault multiplies latency", "[objstore][faults]") {
  World w;
  ObjectStoreFaults f;
  f.latency_multiplier = 3.0;
  w.store.set_faults(f);
  w.run(0, [&](ObjectStoreClient& c) {
    const Time start = w.sim.now();
    REQUIRE(c.put("k", std::string(10'000, 'x')).ok());  // (30 ms + 10 ms) * 3, plus the links
    CHECK(w.sim.now() - start == 1_ms + 120_ms + 1_ms);
  });
}

TEST_CASE("a stall holds requests until it ends", "[objstore][faults]") {
  World w;
  w.store.stall_for(2_s);
  w.run(0, [&](ObjectStoreClient& c) {
    REQUIRE(c.put("k", "").ok());
    CHECK(w.sim.now() == Time::zero() + 2_s + 30_ms + 1_ms);
    const Time start = w.sim.now();
    REQUIRE(c.get("k").ok());  // after the window: normal again
    CHECK(w.sim.now() - start == 1_ms + 15_ms + 1_ms);
  });
}

TEST_CASE("a stall longer than the client's timeout times the request out", "[objstore][faults]") {
  World w;
  ObjectStoreFaults f;
  f.stalls.push_back({Time::zero() + 100_ms, Time::zero() + 20_s});
  w.store.set_faults(f);
  w.run(0, [&](ObjectStoreClient& c) {
    w.sim.sleep(200_ms);
    CHECK(c.get("k").status == ObjectStatus::timeout);
  }, {.request_timeout = 1_s});
}

TEST_CASE("SlowDown rejects requests without applying them", "[objstore][faults]") {
  ObjectStoreOptions o = constant_store();
  o.faults.slow_down_probability = 1.0;
  World w(o);
  w.run(0, [&](ObjectStoreClient& c) {
    CHECK(c.put("k", "v").status == ObjectStatus::slow_down);
    CHECK(c.get("k").status == ObjectStatus::slow_down);
    CHECK(c.list("").status == ObjectStatus::slow_down);
  });
  CHECK_FALSE(w.store.stat("k"));
  CHECK(w.store.counters().slow_downs == 3);
  CHECK(is_retriable(ObjectStatus::slow_down));
}

TEST_CASE("SlowDown fires with its probability", "[objstore][faults]") {
  ObjectStoreOptions o = constant_store();
  o.faults.slow_down_probability = 0.3;
  World w(o);
  int slow = 0;
  w.run(0, [&](ObjectStoreClient& c) {
    for (int i = 0; i < 1000; ++i) slow += c.get("k").status == ObjectStatus::slow_down ? 1 : 0;
  });
  CHECK(slow > 240);
  CHECK(slow < 360);
}

TEST_CASE("a timed-out PUT may or may not have been applied", "[objstore][faults]") {
  ObjectStoreOptions o = constant_store();
  o.faults.timeout_probability = 1.0;
  World w(o);
  int applied = 0;
  w.run(0, [&](ObjectStoreClient& c) {
    for (int i = 0; i < 100; ++i) {
      const std::string key = numbered("k", i);
      const Time start = w.sim.now();
      CHECK(c.put(key, "v").status == ObjectStatus::timeout);
      CHECK(w.sim.now() - start == 1_s);
      applied += w.store.stat(key) ? 1 : 0;
    }
  }, {.request_timeout = 1_s});
  CHECK(applied > 30);  // both outcomes happen
  CHECK(applied < 70);
  CHECK(w.store.counters().timeouts == 100);
}

TEST_CASE("timed-out writes apply with the configured probability", "[objstore][faults]") {
  for (double p : {0.0, 1.0}) {
    ObjectStoreOptions o = constant_store();
    o.faults.timeout_probability = 1.0;
    o.faults.timed_out_write_applied_probability = p;
    World w(o);
    w.run(0, [&](ObjectStoreClient& c) {
      for (int i = 0; i < 10; ++i) CHECK(c.put(numbered("k", i), "v").status == ObjectStatus::timeout);
    }, {.request_timeout = 1_s});
    CHECK(w.store.object_count() == (p == 1.0 ? 10u : 0u));
  }
}

TEST_CASE("an unavailable zone refuses, others still serve", "[objstore][faults]") {
  World w;
  w.store.set_zone_unavailable("zone-a", true);
  w.run(0, [&](ObjectStoreClient& c) { CHECK(c.put("k", "v").status == ObjectStatus::unavailable); });
  w.run(1, [&](ObjectStoreClient& c) { CHECK(c.put("k", "v").ok()); });
  w.store.set_zone_unavailable("zone-a", false);
  w.run(0, [&](ObjectStoreClient& c) { CHECK(c.get("k").ok()); });
  CHECK(w.store.counters().refused == 1);
}

TEST_CASE("an unavailable zone that drops requests times them out", "[objstore][faults]") {
  World w;
  ObjectStoreFaults f;
  f.unavailable_zones = {"zone-b"};
  f.unavailable_drops_requests = true;
  w.store.set_faults(f);
  w.run(1, [&](ObjectStoreClient& c) { CHECK(c.put("k", "v").status == ObjectStatus::timeout); },
        {.request_timeout = 2_s});
  CHECK_FALSE(w.store.stat("k"));
}

TEST_CASE("a client may fail over to another zone's endpoint", "[objstore][faults]") {
  World w;
  w.store.set_zone_unavailable("zone-a", true);
  w.run(0, [&](ObjectStoreClient& c) { CHECK(c.put("k", std::string(1000, 'x')).ok()); },
        {.fail_over_to_other_zones = true});
  CHECK(w.store.stat("k"));
  const auto by_traffic = w.sim.network().cross_zone_bytes_by_traffic();
  CHECK(by_traffic.at(std::string(kTrafficObjectStore)) > 1000);
}

TEST_CASE("invalid faults are rejected at runtime", "[objstore][faults]") {
  World w;
  ObjectStoreFaults f;
  f.latency_multiplier = 0;
  CHECK_THROWS_AS(w.store.set_faults(f), std::invalid_argument);
  f = ObjectStoreFaults{};
  f.stalls.push_back({Time::zero() + 2_s, Time::zero() + 1_s});
  CHECK_THROWS_AS(w.store.set_faults(f), std::invalid_argument);
  CHECK(w.store.faults().latency_multiplier == 1.0);
}
