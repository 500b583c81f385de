// Log segments and retention on the broker: segments roll into their own
// files and are recovered from them, retention deletes old closed segments
// and moves the log start (fetch below it is out of range), and a follower
// that was down past retention restarts its log at the leader's start.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "classic_test_support.h"
#include "weir/models/kafka/classic/trace_kinds.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::classic;
using namespace weir::models::kafka::classic::testing;
using namespace weir::sim::literals;

namespace {

const std::string kTopic = "ingest";
const std::string kDir = "log/ingest-0/";

ClassicClusterOptions small_segments() {
  ClassicClusterOptions o;
  o.topics = {{kTopic, 1}};
  o.segment_bytes = 1024;  // a few dozen small records per segment
  return o;
}

ClassicClusterOptions with_retention() {
  ClassicClusterOptions o = small_segments();
  o.retention = 20_s;
  o.retention_check_interval = 5_s;
  return o;
}

// The partition's segment files on a broker's disk that hold bytes.
std::vector<std::string> segment_files(World& w, std::size_t broker) {
  sim::Disk& disk = w.sim.node(w.cluster.broker(broker)).disk();
  std::vector<std::string> files = disk.list(kDir);
  std::erase_if(files, [&](const std::string& f) { return disk.size(f) == 0; });
  return files;
}

std::string file_of(std::int64_t base) { return kDir + fmt::format("{:020d}.log", base); }

// Produces `count` records one by one with acks=all; returns the next index.
std::int64_t produce(Client& c, std::int64_t from, int count) {
  for (int i = 0; i < count; ++i) {
    const auto res = c.produce(kTopic, 0, {make_record(from + i)}, -1);
    REQUIRE(res.error == ErrorCode::none);
  }
  return from + count;
}

std::size_t follower_of(World& w) {
  const auto state = *w.cluster.partition_state(kTopic, 0);
  for (sim::NodeId n : state.replicas) {
    if (n != state.leader) return w.broker_index(n);
  }
  FAIL("no follower");
  return 0;
}

// The log end each partition-0 replica recovered with, by node.
class RecoveredEnds : public sim::TraceSink {
 public:
  void on_event(const sim::TraceEvent& e) override {
    if (e.kind.name() == kTraceLogRecovered.name() && e.fields[0].number() == 0) ends[e.node] = e.fields[1].number();
  }
  std::map<sim::NodeId, std::int64_t> ends;
};

}  // namespace

TEST_CASE("segments roll at segment_bytes, each in its own file named by its base offset", "[kafka_classic][retention]") {
  World w(small_segments(), 3);
  Client c(w);
  w.run_client([&] { produce(c, 0, 200); });
  w.run_for(10_s);  // flushed
  for (std::size_t b = 0; b < 3; ++b) {
    const auto status = w.cluster.replica_status(b, kTopic, 0);
    REQUIRE(status);
    CHECK(status->log_end_offset == 200);
    CHECK(status->log_start_offset == 0);
    CHECK(status->segments > 4);
    const auto files = segment_files(w, b);
    CHECK(files.size() == status->segments);
    CHECK(files.front() == file_of(0));
    sim::Disk& disk = w.sim.node(w.cluster.broker(b)).disk();
    for (const std::string& f : files) CHECK(disk.size(f) <= 1024);
  }
}

TEST_CASE("a restarted broker recovers its log from several segment files", "[kafka_classic][retention]") {
  World w(small_segments(), 4);
  RecoveredEnds recovered;
  w.sim.trace().set_sink(&recovered);
  Client c(w);
  w.run_client([&] { produce(c, 0, 200); });
  w.run_for(10_s);
  const std::size_t f = follower_of(w);
  const sim::NodeId node = w.cluster.broker(f);
  const auto before = w.cluster.record_digests(f, kTopic, 0);

  SECTION("every file read in base-offset order") {
    w.cluster.restart_broker(f);
    REQUIRE(w.run_until([&] { return w.cluster.replica_status(f, kTopic, 0).has_value(); }, 30_s));
    CHECK(recovered.ends.at(node) == 200);
    CHECK(w.cluster.record_digests(f, kTopic, 0) == before);
  }
  SECTION("a corrupt middle segment ends the log there and the later files go") {
    w.cluster.crash_broker(f);
    sim::Disk& disk = w.sim.node(node).disk();
    const auto files = segment_files(w, f);
    REQUIRE(files.size() > 4);
    const std::string middle = files[2];
    std::string data = *disk.peek(middle);
    data[data.size() / 2] ^= 0x40;
    disk.write_back(middle, data);
    const std::int64_t middle_base = std::stoll(middle.substr(kDir.size(), 20));
    const std::int64_t next_base = std::stoll(files[3].substr(kDir.size(), 20));
    recovered.ends.clear();  // forget the first boot's
    w.cluster.start_broker(f);
    REQUIRE(w.run_until([&] { return recovered.ends.contains(node); }, 30_s));
    CHECK(recovered.ends.at(node) >= middle_base);
    CHECK(recovered.ends.at(node) < next_base);
    // Then it catches up from the leader.
    REQUIRE(w.run_until([&] { return w.fully_replicated(kTopic, 0); }, 60_s));
    CHECK(w.cluster.record_digests(f, kTopic, 0) == before);
  }
}

TEST_CASE("retention deletes old closed segments, moving the log start; fetch below it is out of range",
          "[kafka_classic][retention]") {
  World w(with_retention(), 5);
  Client c(w);
  std::int64_t next = 0;
  w.run_client([&] {
    for (int round = 0; round < 30; ++round) {
      next = produce(c, next, 20);
      w.sim.sleep(2_s);
    }
  });
  w.run_for(6_s);  // a retention check and a flush after the last round
  const std::size_t leader = *w.leader_index(kTopic, 0);
  const auto status = *w.cluster.replica_status(leader, kTopic, 0);
  CHECK(status.log_end_offset == next);
  REQUIRE(status.log_start_offset > 0);
  // Only records older than retention went: the last 20 s of appends stay.
  CHECK(status.log_end_offset - status.log_start_offset >= 100);
  for (std::size_t b = 0; b < 3; ++b) {
    const auto files = segment_files(w, b);
    REQUIRE_FALSE(files.empty());
    CHECK(files.front() != file_of(0));
    const auto s = *w.cluster.replica_status(b, kTopic, 0);
    CHECK(files.front() == file_of(s.log_start_offset));
    CHECK(files.size() == s.segments);
  }
  w.run_client([&] {
    const FetchPartitionResponse below = c.fetch(kTopic, 0, status.log_start_offset - 1);
    CHECK(below.error == ErrorCode::offset_out_of_range);
    CHECK(below.log_start_offset == status.log_start_offset);
    const FetchPartitionResponse at = c.fetch(kTopic, 0, status.log_start_offset);
    CHECK(at.error == ErrorCode::none);
    REQUIRE_FALSE(at.records.empty());
    CHECK(at.records.front().offset == status.log_start_offset);
    CHECK(at.records.front().record.digest() == make_record(status.log_start_offset).digest());
    const auto earliest = c.list_offset(kTopic, 0, kEarliestTimestamp);
    REQUIRE(earliest);
    CHECK(earliest->offset == status.log_start_offset);
  });
}

TEST_CASE("a follower down past retention restarts its log at the leader's log start", "[kafka_classic][retention]") {
  World w(with_retention(), 6);
  Client c(w);
  std::int64_t next = 0;
  w.run_client([&] { next = produce(c, next, 50); });
  w.run_for(6_s);
  const std::size_t f = follower_of(w);
  w.cluster.crash_broker(f);
  w.run_client([&] {
    for (int round = 0; round < 20; ++round) {
      next = produce(c, next, 20);
      w.sim.sleep(2_s);
    }
  });
  w.run_for(6_s);
  const std::size_t leader = *w.leader_index(kTopic, 0);
  const std::int64_t leader_start = w.cluster.replica_status(leader, kTopic, 0)->log_start_offset;
  REQUIRE(leader_start > 50);  // past everything the follower has
  w.cluster.start_broker(f);
  REQUIRE(w.run_until([&] { return w.fully_replicated(kTopic, 0); }, 60_s));
  const auto status = *w.cluster.replica_status(f, kTopic, 0);
  CHECK(status.log_start_offset >= leader_start);
  CHECK(status.log_end_offset >= next);  // a retried produce may have appended twice
  CHECK(w.cluster.record_digests(f, kTopic, 0) ==
        w.cluster.record_digests(*w.leader_index(kTopic, 0), kTopic, 0));
}

TEST_CASE("with retention on, the same seed gives the same trace hash", "[kafka_classic][retention]") {
  const auto run = [](std::uint64_t seed) {
    World w(with_retention(), seed);
    Client c(w);
    w.run_client([&] {
      std::int64_t next = 0;
      for (int round = 0; round < 15; ++round) {
        next = produce(c, next, 20);
        if (round == 5) w.cluster.restart_broker(1);
        w.sim.sleep(2_s);
      }
    });
    w.run_for(10_s);
    CHECK(w.cluster.replica_status(*w.leader_index(kTopic, 0), kTopic, 0)->log_start_offset > 0);
    return w.sim.trace_hash();
  };
  CHECK(run(11) == run(11));
}
