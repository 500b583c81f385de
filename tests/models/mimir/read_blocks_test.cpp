#include <catch2/catch.hpp>

#include "read_path_fixture.h"
#include "weir/models/mimir/wal_reader.h"
#include "weir/models/objstore/client.h"

using namespace weir;
using namespace weir::models;
using namespace weir::models::mimir;
using namespace weir::models::mimir::testing;

namespace {

constexpr TimestampMs kTwoHoursMs = 2 * 3600 * 1000;

// A block of test series `series`, with a sample at each of `timestamps`.
BlockSeries block_series(int series, const std::vector<TimestampMs>& timestamps, double value_offset = 0) {
  BlockSeries s{test_series(series), series_labels(series), {}};
  for (TimestampMs ts : timestamps) s.samples.push_back(Sample{ts, properties::sample_value(test_series(series), ts) + value_offset});
  return s;
}

void put_block(ReadPathFixture& f, std::string_view source, const Block& block) {
  const std::string key = block_key(kTenant, source, block.min_time_ms(), block.max_time_ms());
  f.await<bool>([&] {
    objstore::ObjectStoreClient client(f.sim, f.client, f.store);
    return client.put(key, block.serialize()).ok();
  });
}

std::vector<Sample> samples_of(const std::vector<properties::SeriesResult>& result, int series) {
  std::vector<Sample> out;
  for (const auto& s : result) {
    if (s.series != test_series(series)) continue;
    for (const auto& sample : s.samples) out.push_back(Sample{sample.ts_ms, sample.value});
  }
  return out;
}

}  // namespace

TEST_CASE("block keys parse back into their parts", "[mimir][blocks]") {
  const auto ref = parse_block_key(block_key("t1", "zone-a/partition-3-0000-000001", 0, kTwoHoursMs));
  REQUIRE(ref.has_value());
  CHECK(ref->tenant == "t1");
  CHECK(ref->source == "zone-a/partition-3-0000-000001");
  CHECK(ref->min_time_ms == 0);
  CHECK(ref->max_time_ms == kTwoHoursMs);
  CHECK_FALSE(ref->compacted());
  CHECK(parse_block_key(block_key("t1", kCompactedSource, kTwoHoursMs, 2 * kTwoHoursMs))->compacted());
  CHECK_FALSE(parse_block_key("blocks/t1/0000-0001"));
  CHECK_FALSE(parse_block_key("other/t1/zone-a/0-1"));
  CHECK_FALSE(parse_block_key("blocks/t1/zone-a/5-1"));
  CHECK(blocks_prefix("t1") == "blocks/t1/");
}

TEST_CASE("after 2 h the ingester cuts a block, ships it and truncates its WAL", "[mimir][blocks]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  IngesterOptions options;
  options.wal_segment_max_bytes = 2048;
  const sim::NodeId node = f.add_ingester("zone-a", 0, options);
  const sim::NodeId gateway = f.add_store_gateway("zone-a");
  // Two series, one sample each per minute, stamped with the simulated time.
  int produced = 0;
  f.sim.spawn(f.client, [&] {
    for (;;) {
      f.produce_in_fiber(0, make_request({0, 1}, f.sim.now().ms()));
      ++produced;
      f.sim.sleep(60_s);
    }
  });
  f.sim.run_for(sim::Duration::seconds(3 * 3600 + 1800));
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  // The head spanned more than 3 h: [0, 2 h) was cut and shipped.
  CHECK(ingester->stats().blocks_cut == 1);
  CHECK(ingester->stats().blocks_shipped == 1);
  REQUIRE(ingester->local_blocks().blocks().size() == 1);
  CHECK(ingester->local_blocks().durable_boundaries().at(kTenant) == kTwoHoursMs);
  const std::vector<std::string> keys = f.store.keys(blocks_prefix(kTenant));
  REQUIRE(keys.size() == 1);
  const auto ref = parse_block_key(keys[0]);
  REQUIRE(ref.has_value());
  CHECK(ref->source == "zone-a/partition-0-0000-000000");
  CHECK(ref->min_time_ms == 0);
  CHECK(ref->max_time_ms == kTwoHoursMs);
  const DecodeResult<Block> shipped = Block::parse(*f.store.peek(keys[0]));
  REQUIRE(shipped.ok());
  CHECK(shipped.value().sample_count() == 2 * 120);

  // The WAL lost its segments below 2 h, and kept everything after.
  CHECK(ingester->stats().wal_segments_dropped > 0);
  std::size_t wal_samples = 0;
  TimestampMs oldest = INT64_MAX;
  for (const std::string& path : ingester->wal().segment_paths()) {
    const std::optional<std::string> bytes = f.sim.node(node).disk().peek(path);
    if (!bytes) continue;
    WalReader reader(*bytes);
    while (auto record = reader.next()) {
      for (const WalSeries& s : record->series) {
        wal_samples += s.samples.size();
        for (const Sample& sample : s.samples) oldest = std::min(oldest, sample.timestamp_ms);
      }
    }
  }
  const std::size_t total = 2 * static_cast<std::size_t>(produced);
  CHECK(wal_samples < total);
  CHECK(wal_samples >= total - 2 * 120);
  CHECK(oldest > kTwoHoursMs - 3600 * 1000);  // at most the segment straddling 2 h reaches below it

  // The ingester still answers for everything (head + the block on its disk).
  CHECK(sample_count(f.query_ingester(node, select({0, 1})).series) == total);

  // After a crash the block is loaded from the disk: the ingester still has
  // everything, the head only what is past 2 h; the store-gateway the block.
  f.sim.crash(node);
  f.sim.start(node);
  f.sim.run_for(10_s);
  const std::size_t total_now = 2 * static_cast<std::size_t>(produced);
  ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->stats().blocks_loaded.loaded == 1);
  CHECK(ingester->stats().blocks_loaded.unshipped == 0);
  CHECK(ingester->heads().head(kTenant)->min_valid_ms() == kTwoHoursMs);
  CHECK(ingester->heads().head(kTenant)->sample_count() == total_now - 2 * 120);
  CHECK(sample_count(f.query_ingester(node, select({0, 1})).series) == total_now);
  const IngesterQueryResponse blocks = query_store_gateway(f, gateway, select({0, 1}));
  REQUIRE(blocks.ok);
  CHECK(sample_count(blocks.series) == 2 * 120);
}

TEST_CASE("the store-gateway merges blocks, compacted first, one sample per timestamp", "[mimir][blocks]") {
  ReadPathFixture f(1, {"zone-a", "zone-b"}, 1);
  const sim::NodeId gateway = f.add_store_gateway("zone-a");
  put_block(f, "zone-a/partition-0-0000-000000", Block(0, kTwoHoursMs, {block_series(0, {1000, 2000})}));
  put_block(f, "zone-b/partition-0-0000-000000", Block(0, kTwoHoursMs, {block_series(0, {2000, 3000}), block_series(1, {5000})}));
  put_block(f, kCompactedSource, Block(0, kTwoHoursMs, {block_series(0, {1000}, 7.0)}));
  put_block(f, "zone-a/partition-0-0000-000001", Block(kTwoHoursMs, 2 * kTwoHoursMs, {block_series(0, {kTwoHoursMs + 1})}));

  const IngesterQueryResponse answer = query_store_gateway(f, gateway, select({0, 1}, 0, kTwoHoursMs - 1));
  REQUIRE(answer.ok);
  const std::vector<Sample> s0 = samples_of(answer.series, 0);
  REQUIRE(s0.size() == 3);
  CHECK(s0[0] == Sample{1000, properties::sample_value(test_series(0), 1000) + 7.0});  // compacted wins
  CHECK(s0[1].timestamp_ms == 2000);
  CHECK(s0[2].timestamp_ms == 3000);
  CHECK(samples_of(answer.series, 1).size() == 1);
  // The block of the later range is not read for this range, and is for a wider one.
  CHECK(sample_count(query_store_gateway(f, gateway, select({0}, 0, 2 * kTwoHoursMs)).series) == 4);
  // Unchanged blocks are served from the cache.
  query_store_gateway(f, gateway, select({0}));
  CHECK(f.sim.node(gateway).process_as<StoreGateway>().catalog_stats().cache_hits > 0);
}

TEST_CASE("the compactor merges the zones' blocks into one and deletes them", "[mimir][blocks]") {
  ReadPathFixture f(1, {"zone-a", "zone-b"}, 1);
  CompactorOptions options;
  options.compaction_interval = 10_s;
  const sim::NodeId compactor = f.sim.add_node(sim::NodeSpec{"compactor", "zone-a", compactor_boot(f.store, options), {}});
  f.sim.start(compactor);
  put_block(f, "zone-a/partition-0-0000-000000", Block(0, kTwoHoursMs, {block_series(0, {1000, 2000, 3000})}));
  put_block(f, "zone-b/partition-0-0000-000000", Block(0, kTwoHoursMs, {block_series(0, {1000, 2000, 3000}), block_series(1, {4000})}));
  put_block(f, "zone-a/partition-0-0000-000001", Block(kTwoHoursMs, 2 * kTwoHoursMs, {block_series(0, {kTwoHoursMs})}));
  f.sim.run_for(15_s);

  const std::string first = block_key(kTenant, kCompactedSource, 0, kTwoHoursMs);
  const std::string second = block_key(kTenant, kCompactedSource, kTwoHoursMs, 2 * kTwoHoursMs);
  REQUIRE(f.store.keys(blocks_prefix(kTenant)) == std::vector<std::string>{first, second});
  const Block merged = Block::parse(*f.store.peek(first)).value();
  CHECK(merged.sample_count() == 4);
  CHECK(merged.query(test_series(0), 0, kTwoHoursMs).size() == 3);
  const CompactorStats& stats = f.sim.node(compactor).process_as<Compactor>().stats();
  CHECK(stats.duplicates_dropped == 3);
  CHECK(stats.blocks_deleted == 3);
  CHECK(stats.conflicts == 0);

  // A zone's late block is folded into the compacted one at the next pass.
  put_block(f, "zone-b/partition-0-0001-000002", Block(0, kTwoHoursMs, {block_series(2, {6000})}));
  f.sim.run_for(10_s);
  CHECK(f.store.keys(blocks_prefix(kTenant)) == std::vector<std::string>{first, second});
  CHECK(Block::parse(*f.store.peek(first)).value().sample_count() == 5);
}
