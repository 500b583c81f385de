// The metadata state machine: dense offsets in commit order, idempotent
// commits, lookups, relocation, group offsets, liveness.
#include <catch2/catch.hpp>

#include "weir/models/kafka/diskless/metadata_state.h"
#include "weir/sim/errors.h"

using namespace weir::models::kafka;
using namespace weir::models::kafka::diskless;
using weir::sim::Duration;
using weir::sim::Time;

namespace {

CommitBatch batch(std::int32_t partition, std::int32_t count, std::string key, std::uint64_t offset = 0) {
  return CommitBatch{"t", partition, count, BatchLocation{std::move(key), offset, 100, weir::sim::kNoNode}};
}

}  // namespace

TEST_CASE("commits assign dense offsets per partition, once per commit id", "[diskless][metadata]") {
  MetadataState s({{"t", 2}});
  CHECK(s.commit("o1", {batch(0, 3, "o1"), batch(1, 2, "o1", 100), batch(0, 1, "o1", 200)}) ==
        std::vector<std::int64_t>{0, 0, 3});
  CHECK(s.commit("o2", {batch(0, 2, "o2")}) == std::vector<std::int64_t>{4});
  CHECK(s.commit("o1", {batch(0, 3, "o1")}) == std::vector<std::int64_t>{0, 0, 3});  // a retry
  CHECK(s.next_offset({"t", 0}) == 6);
  CHECK(s.next_offset({"t", 1}) == 2);
  CHECK(s.commit_count() == 2);
  CHECK(s.is_committed("o2"));
  CHECK_FALSE(s.is_committed("o3"));
}

TEST_CASE("lookups return the batches from an offset, bounded by bytes", "[diskless][metadata]") {
  MetadataState s({{"t", 1}});
  for (int i = 0; i < 5; ++i) s.commit(std::to_string(i), {batch(0, 2, std::to_string(i))});
  const auto from_three = s.batches_from({"t", 0}, 3, 1000);
  REQUIRE(from_three.size() == 4);
  CHECK(from_three[0].base_offset == 2);  // the batch holding offset 3
  CHECK(s.batches_from({"t", 0}, 3, 150).size() == 1);
  CHECK(s.batches_from({"t", 0}, 3, 1).size() == 1);  // at least one
  CHECK(s.batches_from({"t", 0}, 10, 1000).empty());
}

TEST_CASE("relocation points WAL batches at their object", "[diskless][metadata]") {
  MetadataState s({{"t", 1}});
  s.commit("wal-1", {CommitBatch{"t", 0, 1, BatchLocation{"wal-1", 10, 5, 7}}});
  CHECK(s.log({"t", 0}).at(0).location.in_wal());
  s.relocate({Relocation{"wal-1", "objects/9", 1000}});
  const BatchLocation& moved = s.log({"t", 0}).at(0).location;
  CHECK_FALSE(moved.in_wal());
  CHECK(moved.object_key == "objects/9");
  CHECK(moved.byte_offset == 1010);
  s.relocate({Relocation{"wal-1", "objects/10", 0}});  // a repeat changes nothing
  CHECK(s.log({"t", 0}).at(0).location.object_key == "objects/9");
}

TEST_CASE("group offsets and agent liveness", "[diskless][metadata]") {
  MetadataState s({{"t", 1}});
  CHECK(s.group_offset("g", {"t", 0}) == -1);
  s.commit_group_offset("g", {"t", 0}, 17);
  CHECK(s.group_offset("g", {"t", 0}) == 17);
  s.heartbeat(4, "zone-a", Time::zero());
  s.heartbeat(2, "zone-b", Time::zero() + Duration::seconds(2));
  const auto live = s.live_agents(Time::zero() + Duration::seconds(4), Duration::seconds(3));
  REQUIRE(live.size() == 1);
  CHECK(live[0].node == 2);
  CHECK(s.live_agents(Time::zero() + Duration::seconds(2), Duration::seconds(3)).size() == 2);
}

TEST_CASE("a committed batch of no records is a model defect", "[diskless][metadata][assert]") {
  MetadataState s({{"t", 1}});
  CHECK_THROWS_AS(s.commit("empty", {batch(0, 0, "empty")}), weir::sim::InvariantError);
  CHECK(s.next_offset({"t", 0}) == 0);
}
