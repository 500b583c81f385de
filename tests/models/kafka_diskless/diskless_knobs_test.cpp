// The ack_before_commit hazard, and determinism of every mode.
#include <catch2/catch.hpp>

#include <map>

#include "world.h"

using namespace weir::models::kafka;
using namespace weir::models::kafka::diskless;
using namespace weir::models::kafka::diskless::testing;
using weir::sim::Duration;
using weir::sim::NodeId;

namespace {

// Producers in `producer_zones` zones write one partition while a random
// agent crashes and restarts; after a drain, checks every acknowledged record
// is at the offset it was acknowledged with. Returns the first violation.
std::optional<std::string> acked_record_not_at_its_offset(DisklessOptions o, std::uint64_t seed,
                                                          std::size_t producer_zones = 2, bool crash = true) {
  o.topics = {{kTopic, 1}};
  World w(o, seed);
  std::vector<std::pair<std::int64_t, std::uint64_t>> acked;  // (offset, digest)
  for (std::size_t zone = 0; zone < producer_zones; ++zone) {
    w.spawn(zone, [&w, &acked, zone](Speaker& s) {
      weir::sim::Random r = w.sim.random("producer").fork(std::to_string(zone));
      for (std::uint64_t i = 0; i < 8; ++i) {
        const Record record = make_record(s.zone(), numbered("v", i));
        const Ack ack = s.produce(kTopic, 0, {record}, Duration::seconds(2));
        if (ack.error == ErrorCode::none) acked.emplace_back(ack.offset, record.digest());
        w.sim.sleep(Duration::milliseconds(r.uniform_int(0, 200)));
      }
    });
  }
  w.sim.spawn(weir::sim::kNoNode, [&w, crash] {
    if (!crash) return;
    weir::sim::Random r = w.sim.random("crashes");
    w.sim.sleep(Duration::milliseconds(r.uniform_int(0, 3000)));
    const NodeId victim = w.cluster.agents().at(r.below(w.cluster.agents().size())).node;
    w.cluster.crash_agent(victim);
    w.sim.sleep(Duration::seconds(1));
    w.cluster.restart_agent(victim);
  });
  w.sim.run_for(Duration::seconds(10));
  std::map<std::int64_t, std::uint64_t> log;
  w.run(2, [&](Speaker& s) {
    auto records = s.read_all(kTopic, 0);
    REQUIRE(records);
    for (const FetchedRecord& r : *records) log[r.offset] = r.record.digest();
  });
  for (const auto& [offset, digest] : acked) {
    const auto it = log.find(offset);
    if (it == log.end()) return numbered("acknowledged offset beyond the log: ", static_cast<std::uint64_t>(offset));
    if (it->second != digest) return numbered("another record at acknowledged offset ", static_cast<std::uint64_t>(offset));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("ack_before_commit: an acknowledged record is not where it was acknowledged", "[diskless][knob]") {
  DisklessOptions o;
  o.ack_before_commit = true;
  std::optional<std::uint64_t> found;
  for (std::uint64_t seed = 1; seed <= 200 && !found; ++seed) {
    if (acked_record_not_at_its_offset(o, seed)) found = seed;
  }
  CHECK(found);
}

TEST_CASE("ack_before_commit: with one producer, a crash alone loses acknowledged records", "[diskless][knob]") {
  DisklessOptions o;
  o.ack_before_commit = true;
  std::optional<std::uint64_t> found;
  for (std::uint64_t seed = 1; seed <= 200 && !found; ++seed) {
    if (acked_record_not_at_its_offset(o, seed, 1)) found = seed;
  }
  REQUIRE(found);
  // Without the crash one producer's guesses are right: the crash is what broke them.
  CHECK(acked_record_not_at_its_offset(o, *found, 1, false) == std::nullopt);
}

TEST_CASE("without the knob, every acknowledged record is at its offset", "[diskless][knob]") {
  for (std::uint64_t seed = 1; seed <= 15; ++seed) {
    INFO("seed " << seed);
    CHECK(acked_record_not_at_its_offset(DisklessOptions{}, seed) == std::nullopt);
  }
  DisklessOptions wal;
  wal.automq_wal_mode = true;
  for (std::uint64_t seed = 1; seed <= 15; ++seed) {
    INFO("WAL mode, seed " << seed);
    CHECK(acked_record_not_at_its_offset(wal, seed) == std::nullopt);
  }
}

TEST_CASE("ack_before_commit acknowledges before the commit, so faster", "[diskless][knob]") {
  DisklessOptions o;
  o.ack_before_commit = true;
  o.metadata_write_latency = weir::sim::Latency::constant(Duration::milliseconds(300));
  World w(o);
  w.run(0, [&](Speaker& s) {
    const Ack ack = s.produce(kTopic, 0, {make_record("k", "v")});
    REQUIRE(ack.error == ErrorCode::none);
    CHECK(ack.latency < Duration::milliseconds(250 + 300));
    CHECK(s.list_offset(kTopic, 0) == 0);  // acknowledged, yet not in the log
  });
}

namespace {

// Producers and consumers in every zone, a random agent crash, object-store
// SlowDowns: the whole run's trace hash.
std::uint64_t run_hash(DisklessOptions o, std::uint64_t seed) {
  weir::models::objstore::ObjectStoreOptions store;
  store.faults.slow_down_probability = 0.05;
  World w(o, seed, store);
  for (std::size_t zone = 0; zone < 3; ++zone) {
    w.spawn(zone, [&w, zone](Speaker& s) {
      weir::sim::Random r = w.sim.random("producer").fork(std::to_string(zone));
      for (std::uint64_t i = 0; i < 10; ++i) {
        s.produce(kTopic, static_cast<std::int32_t>(r.below(4)), {make_record(s.zone(), numbered("v", i))},
                  Duration::seconds(2));
        s.fetch(kTopic, static_cast<std::int32_t>(r.below(4)), 0, Duration::milliseconds(100));
      }
    });
  }
  w.sim.spawn(weir::sim::kNoNode, [&w] {
    weir::sim::Random r = w.sim.random("crashes");
    w.sim.sleep(Duration::milliseconds(r.uniform_int(0, 2000)));
    const NodeId victim = w.cluster.agents().at(r.below(w.cluster.agents().size())).node;
    w.cluster.restart_agent(victim);
  });
  w.sim.run_for(Duration::seconds(8));
  return w.sim.trace_hash();
}

}  // namespace

TEST_CASE("same seed, same trace hash, in every mode", "[diskless][determinism]") {
  DisklessOptions plain;
  DisklessOptions early;
  early.ack_before_commit = true;
  DisklessOptions wal;
  wal.automq_wal_mode = true;
  for (const DisklessOptions& o : {plain, early, wal}) {
    for (std::uint64_t seed : {1, 2}) {
      const std::uint64_t hash = run_hash(o, seed);
      CHECK(hash == run_hash(o, seed));
      CHECK(hash != run_hash(o, seed + 100));
    }
  }
}
