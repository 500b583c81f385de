#include <catch2/catch.hpp>

#include <string>

#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

namespace {

// Runs `body` in a fiber on a fresh node and returns that node's disk after.
struct DiskFixture {
  explicit DiskFixture(DiskOptions options = {}, std::uint64_t seed = 1) : sim({.seed = seed}) {
    id = sim.add_node({"n", "z", nullptr, options});
    sim.start(id);
  }
  void run(std::function<void(Disk&)> body) {
    sim.spawn(id, [this, body] { body(sim.node(id).disk()); });
    sim.run();
  }
  Disk& disk() { return sim.node(id).disk(); }
  Simulation sim;
  NodeId id;
};

}  // namespace

TEST_CASE("a crash keeps synced bytes and loses the rest", "[disk]") {
  DiskFixture f;
  f.run([](Disk& d) {
    d.append("wal", "synced");
    d.fsync("wal");
    d.append("wal", "+lost");
    d.append("never-synced", "gone");
  });
  CHECK(*f.disk().list("") .begin() == "never-synced");
  CHECK(f.disk().unsynced_bytes("wal") == 5);
  f.sim.crash(f.id);
  CHECK(f.disk().list("") == std::vector<std::string>{"wal"});
  f.sim.start(f.id);
  std::optional<std::string> content;
  f.run([&](Disk& d) { content = d.read("wal"); });
  CHECK(content == "synced");
}

TEST_CASE("operations take simulated time, scaled by slow_multiplier", "[disk]") {
  DiskOptions fast;
  fast.fsync_latency = Latency::constant(2_ms);
  DiskOptions slow = fast;
  slow.slow_multiplier = 10;
  for (auto [options, expected] : {std::pair{fast, 2_ms}, std::pair{slow, 20_ms}}) {
    DiskFixture f(options);
    Duration took;
    f.run([&](Disk& d) {
      d.append("a", "x");
      const Time start = f.sim.now();
      d.fsync("a");
      took = f.sim.now() - start;
    });
    CHECK(took == expected);
  }
}

TEST_CASE("a crash during a write loses that write", "[disk]") {
  DiskFixture f;
  f.sim.spawn(f.id, [&] { f.disk().append("wal", "data"); });
  f.sim.crash(f.id);  // before the write's latency elapsed
  f.sim.run();
  CHECK(f.disk().size("wal") == 0);
}

TEST_CASE("torn last write keeps a prefix of the unsynced tail", "[disk]") {
  bool saw_partial = false;
  for (std::uint64_t seed = 1; seed <= 20 && !saw_partial; ++seed) {
    DiskOptions o;
    o.torn_last_write = true;
    DiskFixture f(o, seed);
    f.run([](Disk& d) {
      d.append("wal", "AAAA");
      d.fsync("wal");
      d.append("wal", "BBBBBBBB");
    });
    f.sim.crash(f.id);
    const std::uint64_t size = f.disk().size("wal");
    CHECK(size >= 4);
    CHECK(size <= 12);
    saw_partial |= size > 4 && size < 12;
  }
  CHECK(saw_partial);
}

TEST_CASE("fsync errors leave the data unsynced", "[disk]") {
  DiskOptions o;
  o.fsync_error_probability = 1.0;
  DiskFixture f(o);
  DiskStatus status = DiskStatus::ok;
  f.run([&](Disk& d) {
    d.append("wal", "data");
    status = d.fsync("wal");
  });
  CHECK(status == DiskStatus::io_error);
  f.sim.crash(f.id);
  CHECK(f.disk().size("wal") == 0);
}

TEST_CASE("a full disk refuses appends", "[disk]") {
  DiskOptions o;
  o.capacity_bytes = 10;
  DiskFixture f(o);
  std::vector<DiskStatus> statuses;
  f.run([&](Disk& d) {
    statuses.push_back(d.append("a", "12345678"));
    statuses.push_back(d.append("a", "12345"));
  });
  CHECK(statuses == std::vector<DiskStatus>{DiskStatus::ok, DiskStatus::no_space});
}

TEST_CASE("corrupt reads flip a byte", "[disk]") {
  DiskOptions o;
  o.corrupt_read_probability = 1.0;
  DiskFixture f(o);
  std::optional<std::string> content;
  f.run([&](Disk& d) {
    d.append("a", "hello world");
    content = d.read("a");
  });
  REQUIRE(content);
  CHECK(content->size() == 11);
  CHECK(*content != "hello world");
}

TEST_CASE("a truncate below the synced size is durable only once synced", "[disk]") {
  DiskFixture f;
  f.run([](Disk& d) {
    d.append("wal", "0123456789");
    d.fsync("wal");
    d.truncate("wal", 4);
  });
  CHECK(f.disk().size("wal") == 4);
  f.sim.crash(f.id);
  CHECK(f.disk().size("wal") == 10);  // the truncate was not synced
  f.sim.start(f.id);
  f.run([](Disk& d) {
    d.truncate("wal", 4);
    d.fsync("wal");
  });
  f.sim.crash(f.id);
  CHECK(f.disk().size("wal") == 4);
}

TEST_CASE("wipe loses everything, synced or not", "[disk]") {
  DiskFixture f;
  f.run([](Disk& d) {
    d.append("a", "x");
    d.fsync("a");
  });
  f.disk().wipe();
  CHECK(f.disk().list("").empty());
}

TEST_CASE("a write-back replaces a file durably at once", "[disk]") {
  DiskOptions o;
  o.torn_last_write = true;
  DiskFixture f(o);
  f.run([](Disk& d) {
    d.append("log", "0123456789");
    d.fsync("log");
    d.truncate("log", 4);  // not yet durable
    d.append("log", "tail");
  });
  const Time before = f.sim.now();
  f.disk().write_back("log", "written back");
  f.disk().write_back("new", "fresh");
  CHECK(f.sim.now() == before);
  CHECK(f.disk().unsynced_bytes("log") == 0);
  f.sim.crash(f.id);
  CHECK(f.disk().peek("log") == "written back");
  CHECK(f.disk().peek("new") == "fresh");
}
