#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/models/mimir/block.h"

namespace mimir = weir::models::mimir;
using mimir::Block;
using mimir::BlockSeries;

namespace {

constexpr std::int64_t kRange = 2 * 60 * 60 * 1000;

Block sample_block(double value_offset = 0) {
  std::vector<BlockSeries> series;
  for (std::uint64_t id : {30ULL, 10ULL, 20ULL}) {
    BlockSeries s{id, {{"__name__", "m"}, {"id", std::to_string(id)}}, {}};
    for (int i = 0; i < 5; ++i) s.samples.push_back({kRange + 15'000 * i, static_cast<double>(id) + i + value_offset});
    series.push_back(std::move(s));
  }
  return Block(kRange, 2 * kRange, std::move(series));
}

}  // namespace

TEST_CASE("a block sorts its series and round-trips through its serialized form") {
  const Block block = sample_block();
  REQUIRE(block.series().size() == 3);
  CHECK(block.series()[0].id == 10);
  CHECK(block.series()[2].id == 30);
  CHECK(block.sample_count() == 15);
  CHECK(block.query(20, kRange + 15'000, kRange + 30'000).size() == 2);

  const std::string bytes = block.serialize();
  CHECK(bytes == sample_block().serialize());  // deterministic
  CHECK(bytes.substr(0, 8) == "WEIRBLK1");
  auto parsed = Block::parse(bytes);
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == block);
  CHECK(parsed.value().digest() == block.digest());
  CHECK(sample_block(1).digest() != block.digest());
}

TEST_CASE("a block refuses samples outside its range or out of order") {
  CHECK_THROWS_AS(Block(0, kRange, {BlockSeries{1, {}, {{kRange, 1.0}}}}), std::invalid_argument);
  CHECK_THROWS_AS(Block(0, kRange, {BlockSeries{1, {}, {{5, 1.0}, {5, 2.0}}}}), std::invalid_argument);
  CHECK_THROWS_AS(Block(0, kRange, {BlockSeries{1, {}, {}}, BlockSeries{1, {}, {}}}), std::invalid_argument);
  CHECK_THROWS_AS(Block(kRange, kRange, {}), std::invalid_argument);
}

TEST_CASE("parsing detects every truncation and every flipped byte") {
  const std::string bytes = sample_block().serialize();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto parsed = Block::parse(bytes.substr(0, n));
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.rfind("block: ", 0) == 0);
  }
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    CHECK_FALSE(Block::parse(damaged).ok());
  }
  CHECK(rc::check("garbage never parses as a block and never crashes", [](const std::string& garbage) {
    RC_ASSERT_FALSE(Block::parse(garbage).ok());
  }));
}

TEST_CASE("compact merges blocks of one range, one sample per timestamp, first block wins a conflict") {
  Block zone_a(0, kRange, {BlockSeries{1, {{"s", "1"}}, {{10, 1.0}, {20, 2.0}}},
                           BlockSeries{2, {{"s", "2"}}, {{10, 5.0}}}});
  Block zone_b(0, kRange, {BlockSeries{1, {{"s", "1"}}, {{20, 2.0}, {30, 3.0}}},
                           BlockSeries{2, {{"s", "2"}}, {{10, 6.0}}},
                           BlockSeries{3, {{"s", "3"}}, {{40, 4.0}}}});
  mimir::CompactStats stats;
  const std::vector<Block> blocks{zone_a, zone_b};
  const Block merged = mimir::compact(blocks, &stats);
  REQUIRE(merged.series().size() == 3);
  CHECK(merged.find(1)->samples == std::vector<mimir::Sample>{{10, 1.0}, {20, 2.0}, {30, 3.0}});
  CHECK(merged.find(2)->samples == std::vector<mimir::Sample>{{10, 5.0}});  // zone_a first
  CHECK(merged.find(3)->labels == mimir::Labels{{"s", "3"}});
  CHECK(stats.duplicates_dropped == 1);
  CHECK(stats.conflicts == 1);

  const std::vector<Block> reversed{zone_b, zone_a};
  CHECK(mimir::compact(reversed).find(2)->samples == std::vector<mimir::Sample>{{10, 6.0}});
  const std::vector<Block> same{zone_a, zone_a, zone_a};
  CHECK(mimir::compact(same) == zone_a);

  const std::vector<Block> mismatched{zone_a, sample_block()};
  CHECK_THROWS_AS(mimir::compact(mismatched), std::invalid_argument);
  CHECK_THROWS_AS(mimir::compact(std::vector<Block>{}), std::invalid_argument);
}

TEST_CASE("compact() merges blocks of one range start that end at different times", "[mimir][block]") {
  // An idle head's block ends at its max time + 1, before the range's end.
  const Block idle(0, 5001, {BlockSeries{1, {{"s", "1"}}, {{1000, 1.0}, {5000, 2.0}}}});
  const Block full(0, kRange, {BlockSeries{1, {{"s", "1"}}, {{5000, 2.0}, {kRange - 1, 3.0}}}});
  const std::vector<Block> both{idle, full};
  mimir::CompactStats stats;
  const Block merged = mimir::compact(both, &stats);
  CHECK(merged.min_time_ms() == 0);
  CHECK(merged.max_time_ms() == kRange);
  CHECK(merged.sample_count() == 3);
  CHECK(stats.duplicates_dropped == 1);
}
