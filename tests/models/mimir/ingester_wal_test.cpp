#include <catch2/catch.hpp>

#include <functional>

#include "weir/models/mimir/ingester_wal.h"
#include "weir/sim/simulation.h"

using namespace weir;
using namespace weir::models::mimir;
using namespace weir::sim::literals;

namespace {

WalRecord record(std::int64_t offset, const std::string& tenant = "t") {
  return WalRecord{offset, tenant, {WalSeries{7, {{"__name__", "m"}}, {Sample{offset * 1000, 1.5}}}}};
}

// Runs `body` in a fiber of a node with a disk, to completion.
void on_disk(const std::function<void(sim::Disk&)>& body) {
  sim::Simulation sim({.seed = 1});
  const sim::NodeId node = sim.add_node(sim::NodeSpec{"n", "zone-a", {}, {}});
  sim.start(node);
  sim.spawn(node, [&] { body(sim.node(node).disk()); });
  sim.run();
}

std::vector<std::int64_t> replayed_offsets(sim::Disk& disk, WalReplayStats* stats = nullptr) {
  IngesterWal wal(disk, 1 << 20);
  std::vector<std::int64_t> offsets;
  const WalReplayStats s = wal.replay([&](const WalRecord& r) { offsets.push_back(r.offset); });
  if (stats != nullptr) *stats = s;
  return offsets;
}

// A node whose disk outlives crashes: run() runs a body in a fiber to
// completion, crash() crashes and restarts the node.
struct CrashingNode {
  explicit CrashingNode(std::uint64_t seed) : sim({.seed = seed}) {
    node = sim.add_node(sim::NodeSpec{"n", "zone-a", {}, {}});
    sim.start(node);
  }
  void run(const std::function<void(sim::Disk&)>& body) {
    sim.spawn(node, [&] { body(sim.node(node).disk()); });
    sim.run();
  }
  void crash() {
    sim.crash(node);
    sim.start(node);
  }
  sim::Simulation sim;
  sim::NodeId node = sim::kNoNode;
};

// Records 0..2 synced, then half a frame of record 3 made durable: what a
// crash with a torn last write leaves.
void write_torn_wal(sim::Disk& disk) {
  IngesterWal wal(disk, 1 << 20);
  CHECK(wal.replay([](const WalRecord&) {}).segments == 0);
  for (std::int64_t i = 0; i < 3; ++i) REQUIRE(wal.append(record(i)) == sim::DiskStatus::ok);
  REQUIRE(wal.sync());
  std::string frame;
  append_wal_frame(record(3), frame);
  const std::string path = wal.segment_paths().back();
  REQUIRE(disk.append(path, std::string_view(frame).substr(0, frame.size() / 2)) == sim::DiskStatus::ok);
  REQUIRE(disk.fsync(path) == sim::DiskStatus::ok);
}

}  // namespace

TEST_CASE("the ingester WAL rotates segments, replays them in order and drops covered ones", "[mimir][ingester_wal]") {
  on_disk([](sim::Disk& disk) {
    IngesterWal wal(disk, 150);  // about two frames per segment
    CHECK(wal.replay([](const WalRecord&) {}).segments == 0);
    for (std::int64_t i = 0; i < 10; ++i) REQUIRE(wal.append(record(i)) == sim::DiskStatus::ok);
    REQUIRE(wal.sync());
    const std::size_t segments = wal.segment_count();
    CHECK(segments >= 4);
    CHECK(disk.unsynced_bytes(wal.segment_paths().back()) == 0);

    // Segments whose samples are all below 5 s go; the active one always stays.
    const std::size_t dropped = wal.drop_covered({{"t", 5000}});
    CHECK(dropped >= 1);
    CHECK(wal.segment_count() == segments - dropped);
    CHECK(wal.drop_covered({{"other", 1'000'000}}) == 0);  // no boundary for "t"
    const std::size_t closed = wal.segment_count() - 1;
    CHECK(wal.drop_covered({{"t", 1'000'000}}) == closed);
    CHECK(wal.segment_count() == 1);

    const std::vector<std::int64_t> offsets = replayed_offsets(disk);
    REQUIRE_FALSE(offsets.empty());
    CHECK(offsets.back() == 9);
    for (std::size_t i = 1; i < offsets.size(); ++i) CHECK(offsets[i] == offsets[i - 1] + 1);
  });
}

TEST_CASE("WAL replay cuts a torn tail and drops the segments after a corrupt frame", "[mimir][ingester_wal]") {
  on_disk([](sim::Disk& disk) {
    IngesterWal wal(disk, 120);  // two frames per segment: the first logs the labels
    for (std::int64_t i = 0; i < 6; ++i) REQUIRE(wal.append(record(i)) == sim::DiskStatus::ok);
    const std::vector<std::string> paths = wal.segment_paths();
    REQUIRE(paths.size() >= 3);

    // A torn write at the end of the last segment.
    std::string frame;
    append_wal_frame(record(6), frame);
    REQUIRE(disk.append(paths.back(), std::string_view(frame).substr(0, frame.size() / 2)) == sim::DiskStatus::ok);
    WalReplayStats stats;
    CHECK(replayed_offsets(disk, &stats) == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5});
    CHECK(stats.torn_tails == 1);
    CHECK(replayed_offsets(disk, &stats).size() == 6);  // the torn bytes are gone
    CHECK(stats.torn_tails == 0);

    // A flipped byte in the middle segment: it is cut there, later ones deleted.
    const std::string middle = *disk.peek(paths[1]);
    std::string flipped = middle;
    flipped.back() = static_cast<char>(flipped.back() ^ 0x5a);
    REQUIRE(disk.truncate(paths[1], 0) == sim::DiskStatus::ok);
    REQUIRE(disk.append(paths[1], flipped) == sim::DiskStatus::ok);
    const std::vector<std::int64_t> survivors = replayed_offsets(disk, &stats);
    CHECK(stats.corrupt_frames == 1);
    CHECK(stats.dropped_segments == paths.size() - 2);
    CHECK(survivors.back() < 5);
    CHECK_FALSE(disk.peek(paths.back()).has_value());
  });
}

TEST_CASE("a WAL repair is durable: a later crash loses nothing appended after it", "[mimir][ingester_wal]") {
  CrashingNode n(1);
  n.run(write_torn_wal);

  // Restart: replay repairs the torn tail; new records are appended and synced.
  n.run([](sim::Disk& disk) {
    IngesterWal wal(disk, 1 << 20);
    std::vector<std::int64_t> offsets;
    const WalReplayStats stats = wal.replay([&](const WalRecord& r) { offsets.push_back(r.offset); });
    CHECK(stats.torn_tails == 1);
    CHECK(offsets == std::vector<std::int64_t>{0, 1, 2});
    for (std::int64_t i = 10; i < 13; ++i) REQUIRE(wal.append(record(i)) == sim::DiskStatus::ok);
    REQUIRE(wal.sync());
  });

  // A crash (with nothing unsynced but the repair itself, if it were) and a replay.
  n.crash();
  n.run([](sim::Disk& disk) {
    WalReplayStats stats;
    CHECK(replayed_offsets(disk, &stats) == std::vector<std::int64_t>{0, 1, 2, 10, 11, 12});
    CHECK(stats.torn_tails == 0);
    CHECK(stats.dropped_segments == 0);
  });
}

TEST_CASE("a WAL repair whose fsync failed is synced before any later segment", "[mimir][ingester_wal]") {
  CrashingNode n(3);
  n.run(write_torn_wal);
  n.run([](sim::Disk& disk) {
    IngesterWal wal(disk, 1 << 20);
    disk.options().fsync_error_probability = 1.0;  // the repair's fsync fails
    (void)wal.replay([](const WalRecord&) {});
    REQUIRE(wal.append(record(10)) == sim::DiskStatus::ok);
    CHECK_FALSE(wal.sync());
    disk.options().fsync_error_probability = 0.0;
    REQUIRE(wal.append(record(11)) == sim::DiskStatus::ok);
    REQUIRE(wal.sync());
  });
  n.crash();
  n.run([](sim::Disk& disk) {
    WalReplayStats stats;
    CHECK(replayed_offsets(disk, &stats) == std::vector<std::int64_t>{0, 1, 2, 10, 11});
    CHECK(stats.dropped_segments == 0);
  });
}
