// The long-term storage path of one ingester and the read path over it:
// blocks on the ingester's disk across crashes, restarts, retention and disk
// loss; idle compaction; the querier's time split and zone-pinned queries.
// Times are compressed (20 s blocks) so that each case runs in a few
// simulated minutes.
#include <catch2/catch.hpp>

#include "read_path_fixture.h"
#include "weir/models/mimir/local_blocks.h"
#include "weir/models/objstore/client.h"

using namespace weir;
using namespace weir::models;
using namespace weir::models::mimir;
using namespace weir::models::mimir::testing;

namespace {

constexpr TimestampMs kRangeMs = 20'000;

IngesterOptions compressed() {
  IngesterOptions o;
  o.head.block_range_ms = kRangeMs;
  o.head_compaction_interval = 5_s;
  o.head_compaction_idle_timeout = 0_s;  // off unless a case turns it on
  o.retention_period = 3600_s;
  return o;
}

// Two series written every 2 s from the client, stamped with the simulated
// time; counts the samples acknowledged by the log.
struct Writer {
  explicit Writer(ReadPathFixture& f, PartitionId partition = 0) {
    f.sim.spawn(f.client, [&f, this, partition] {
      while (!stopped) {
        f.produce_in_fiber(partition, make_request({0, 1}, f.sim.now().ms()));
        acked += 2;
        f.sim.sleep(2_s);
      }
    });
  }
  std::size_t acked = 0;
  bool stopped = false;
};

QueryResponse ask_querier(ReadPathFixture& f, sim::NodeId querier, const properties::ReadSelector& selector,
                          std::string zone = {}) {
  return f.await<QueryResponse>([&] {
    QuerierRequest request{QueryRequest{kTenant, selector, properties::ReadConsistency::eventual}, {}, zone};
    auto reply = f.sim.network().call(f.client, querier,
                                                     sim::Payload{request, 64, 0, "query"}, 120_s);
    return reply.ok() ? reply.value() : QueryResponse{false, "rpc timed out", {}, {}, {}, 0};
  });
}

std::vector<std::string> block_files(ReadPathFixture& f, sim::NodeId node) {
  return f.sim.node(node).disk().list(kLocalBlocksPrefix);
}

// The ingester no longer holds the selected samples; the store-gateway serves them.
void check_only_in_object_storage(ReadPathFixture& f, sim::NodeId ingester, sim::NodeId gateway,
                                  const properties::ReadSelector& selector) {
  const IngesterQueryResponse local = f.query_ingester(ingester, selector);
  REQUIRE(local.ok);
  CHECK(sample_count(local.series) == 0);
  const IngesterQueryResponse stored = query_store_gateway(f, gateway, selector);
  REQUIRE(stored.ok);
  CHECK(sample_count(stored.series) > 0);
}

}  // namespace

TEST_CASE("cut blocks are fsynced to the ingester's disk and reloaded after a crash", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  const sim::NodeId node = f.add_ingester("zone-a", 0, compressed());
  Writer writer(f);
  f.sim.run_for(90_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  const std::size_t blocks = ingester->local_blocks().blocks().size();
  REQUIRE(blocks >= 2);
  CHECK(ingester->stats().blocks_written == blocks);
  CHECK(block_files(f, node).size() == blocks);
  for (const std::string& path : block_files(f, node)) CHECK(f.sim.node(node).disk().unsynced_bytes(path) == 0);
  // The WAL no longer holds what the blocks hold.
  CHECK(ingester->stats().wal_segments_dropped > 0);

  f.sim.crash(node);
  const std::size_t acked = writer.acked;
  f.sim.start(node);
  f.sim.run_for(10_s);
  ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->stats().blocks_loaded.loaded == blocks);
  CHECK(ingester->stats().blocks_loaded.discarded == 0);
  const TimestampMs newest_block_end = ingester->local_blocks().durable_boundaries().at(kTenant);
  CHECK(ingester->heads().head(kTenant)->min_valid_ms() >= newest_block_end);
  // Every sample acknowledged before the crash is still answered by the ingester.
  const IngesterQueryResponse answer = f.query_ingester(node, select({0, 1}));
  REQUIRE(answer.ok);
  CHECK(sample_count(answer.series) >= acked);
}

TEST_CASE("a block not shipped before a crash is uploaded after the restart, under the same key", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  const sim::NodeId node = f.add_ingester("zone-a", 0, compressed());
  objstore::ObjectStoreFaults down;
  down.unavailable_zones = {"zone-a"};
  f.store.set_faults(down);
  Writer writer(f);
  f.sim.run_for(60_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  REQUIRE_FALSE(ingester->local_blocks().blocks().empty());
  CHECK(ingester->stats().blocks_shipped == 0);
  CHECK(ingester->stats().upload_failures > 0);
  CHECK(f.store.keys(blocks_prefix(kTenant)).empty());
  const std::string first_id = ingester->local_blocks().blocks().front().id;

  f.sim.crash(node);
  f.store.set_faults({});
  f.sim.start(node);
  f.sim.run_for(2_s);
  ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->stats().blocks_loaded.unshipped >= 1);
  CHECK(ingester->stats().blocks_shipped >= 1);
  const std::vector<std::string> keys = f.store.keys(blocks_prefix(kTenant));
  REQUIRE_FALSE(keys.empty());
  CHECK(parse_block_key(keys.front())->source == named("zone-a/partition-0-", first_id));
  CHECK(ingester->local_blocks().blocks().front().shipped_at.has_value());
}

TEST_CASE("shipped blocks leave the ingester's disk retention_period after their upload", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  IngesterOptions options = compressed();
  options.retention_period = 30_s;
  const sim::NodeId node = f.add_ingester("zone-a", 0, options);
  const sim::NodeId gateway = f.add_store_gateway("zone-a");
  Writer writer(f);
  f.sim.run_for(120_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->stats().blocks_expired > 0);
  for (const LocalBlock& b : ingester->local_blocks().blocks()) {
    REQUIRE(b.shipped_at.has_value());
    CHECK(f.sim.now() - *b.shipped_at <= 30_s + options.head_compaction_interval);
  }
  CHECK(block_files(f, node).size() == ingester->local_blocks().blocks().size());
  // The oldest range is gone from the ingester and still in object storage.
  check_only_in_object_storage(f, node, gateway, select({0, 1}, 0, kRangeMs - 1));
}

TEST_CASE("a lost disk loses the ingester's blocks; the store-gateway still serves them", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  const sim::NodeId node = f.add_ingester("zone-a", 0, compressed());
  const sim::NodeId gateway = f.add_store_gateway("zone-a");
  Writer writer(f);
  f.sim.run_for(90_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  REQUIRE(ingester->stats().blocks_shipped >= 2);
  const TimestampMs shipped_until = ingester->local_blocks().durable_boundaries().at(kTenant);

  f.sim.crash(node);
  f.sim.node(node).disk().wipe();
  f.sim.start(node);
  f.sim.run_for(10_s);
  ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->stats().blocks_loaded.loaded == 0);
  CHECK(ingester->local_blocks().blocks().empty());
  check_only_in_object_storage(f, node, gateway, select({0, 1}, 0, shipped_until - 1));
}

TEST_CASE("an idle head is compacted whole: its last block ends at the head's max time + 1", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  IngesterOptions options = compressed();
  options.head_compaction_idle_timeout = 20_s;
  const sim::NodeId node = f.add_ingester("zone-a", 0, options);
  Writer writer(f);
  f.sim.run_for(15_s);
  writer.stopped = true;
  f.sim.run_for(3_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  const TimestampMs head_max = ingester->heads().head(kTenant)->max_time_ms();
  // Under 1.5 block ranges: no regular cut.
  f.sim.run_for(10_s);
  CHECK(ingester->stats().blocks_cut == 0);
  f.sim.run_for(20_s);
  CHECK(ingester->stats().idle_compactions == 1);
  CHECK(ingester->heads().head(kTenant)->sample_count() == 0);
  CHECK(ingester->heads().head(kTenant)->min_valid_ms() == head_max + 1);
  const auto& blocks = ingester->local_blocks().blocks();
  REQUIRE_FALSE(blocks.empty());
  CHECK(blocks.back().block->max_time_ms() == head_max + 1);
  std::uint64_t in_blocks = 0;
  for (const LocalBlock& b : blocks) in_blocks += b.block->sample_count();
  CHECK(in_blocks == writer.acked);
  CHECK(ingester->stats().blocks_shipped == blocks.size());
}

TEST_CASE("a block torn by a crash before its fsync is discarded; the WAL still has its samples", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  const sim::NodeId node = f.add_ingester("zone-a", 0, compressed());
  Writer writer(f);
  f.sim.run_for(50_s);
  REQUIRE(f.ingester(node)->stats().blocks_written >= 1);
  // Every later block write fails its fsync: the WAL keeps what they hold.
  f.sim.node(node).disk().options().fsync_error_probability = 1.0;
  f.sim.run_for(30_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester->local_blocks().blocks().size() > ingester->stats().blocks_written);
  CHECK(ingester->stats().block_write_failures > 0);
  f.sim.node(node).disk().options().torn_last_write = true;
  f.sim.crash(node);
  f.sim.node(node).disk().options() = constant_disk();
  // What the log acknowledged and the ingester committed survives: the
  // restart resumes after the committed offset, the rest is consumed again.
  f.sim.start(node);
  f.sim.run_for(10_s);
  writer.stopped = true;
  f.sim.run_for(5_s);
  ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  const IngesterQueryResponse answer = f.query_ingester(node, select({0, 1}));
  REQUIRE(answer.ok);
  CHECK(sample_count(answer.series) == writer.acked);
}

TEST_CASE("the querier asks ingesters only for recent data and store-gateways only for old data", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  const sim::NodeId node = f.add_ingester("zone-a", 0, compressed());
  const sim::NodeId gateway = f.add_store_gateway("zone-a");
  QuerierOptions options;
  options.query_ingesters_within = 60_s;
  options.query_store_after = 40_s;
  const sim::NodeId querier = f.add_querier("zone-a", options);
  Writer writer(f);
  f.sim.run_for(120_s);
  writer.stopped = true;
  f.sim.run_for(2_s);
  const TimestampMs now = f.sim.now().ms();
  Ingester* ingester = f.ingester(node);
  const auto& gateway_stats = f.sim.node(gateway).process_as<StoreGateway>().stats();

  // Old: the store-gateway alone.
  std::uint64_t ingester_queries = ingester->stats().queries;
  const QueryResponse old = ask_querier(f, querier, select({0, 1}, 0, now - 70'000));
  REQUIRE(old.ok);
  CHECK(ingester->stats().queries == ingester_queries);
  CHECK(sample_count(old.series) > 0);
  CHECK(old.store_gateway_only_samples == sample_count(old.series));

  // Recent: the ingesters alone.
  const std::uint64_t gateway_queries = gateway_stats.queries;
  const QueryResponse recent = ask_querier(f, querier, select({0, 1}, now - 30'000, now));
  REQUIRE(recent.ok);
  CHECK(gateway_stats.queries == gateway_queries);
  CHECK(sample_count(recent.series) > 0);
  CHECK(recent.store_gateway_only_samples == 0);

  // Everything: both, merged, one sample per timestamp.
  ingester_queries = ingester->stats().queries;
  const QueryResponse all = ask_querier(f, querier, select({0, 1}, 0, now));
  REQUIRE(all.ok);
  CHECK(ingester->stats().queries == ingester_queries + 1);
  CHECK(gateway_stats.queries == gateway_queries + 1);
  CHECK(sample_count(all.series) == writer.acked);
  CHECK(all.store_gateway_only_samples > 0);
  const auto& querier_stats = f.sim.node(querier).process_as<Querier>().stats();
  CHECK(querier_stats.ingesters_skipped == 1);
  CHECK(querier_stats.store_gateways_skipped == 1);
}

TEST_CASE("querier options follow Mimir's defaults and lookback rule", "[mimir][ltp]") {
  const QuerierOptions defaults;
  CHECK(defaults.query_ingesters_within == sim::Duration::seconds(13 * 3600));
  CHECK(defaults.query_store_after == sim::Duration::seconds(12 * 3600));
  CHECK_FALSE(defaults.validate());
  QuerierOptions bad;
  bad.query_store_after = bad.query_ingesters_within;
  REQUIRE(bad.validate());
  CHECK(bad.validate()->find("greater than query_store_after") != std::string::npos);
  bad.query_ingesters_within = 0_s;  // off: any store_after
  CHECK_FALSE(bad.validate());
  CHECK(IngesterOptions{}.retention_period == sim::Duration::seconds(13 * 3600));
  CHECK(IngesterOptions{}.head_compaction_idle_timeout == 3600_s);
  CHECK(StoreGatewayOptions{}.sync_interval == 900_s);
}

TEST_CASE("a query pinned to a zone asks only that zone, with no failover", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a", "zone-b"}, 1);
  const sim::NodeId ingester_a = f.add_ingester("zone-a", 0, compressed());
  f.add_ingester("zone-b", 0, compressed());
  const sim::NodeId gateway_a = f.add_store_gateway("zone-a");
  const sim::NodeId gateway_b = f.add_store_gateway("zone-b");
  QuerierOptions options;
  options.query_ingesters_within = 60_s;
  options.query_store_after = 40_s;
  const sim::NodeId querier = f.add_querier("zone-a", options);
  Writer writer(f);
  f.sim.run_for(100_s);
  writer.stopped = true;
  f.sim.run_for(2_s);
  const auto& stats_a = f.sim.node(gateway_a).process_as<StoreGateway>().stats();
  const auto& stats_b = f.sim.node(gateway_b).process_as<StoreGateway>().stats();

  const QueryResponse pinned_b = ask_querier(f, querier, select({0, 1}), "zone-b");
  REQUIRE(pinned_b.ok);
  CHECK(sample_count(pinned_b.series) == writer.acked);
  CHECK(pinned_b.store_gateway_only_samples > 0);
  CHECK(stats_b.queries == 1);
  CHECK(stats_a.queries == 0);

  f.sim.crash(ingester_a);
  const QueryResponse pinned_a = ask_querier(f, querier, select({0, 1}), "zone-a");
  CHECK_FALSE(pinned_a.ok);
  CHECK(f.sim.node(querier).process_as<Querier>().stats().ingester_failovers == 0);
  // Unpinned, the querier fails over to zone-b.
  const QueryResponse any = ask_querier(f, querier, select({0, 1}));
  REQUIRE(any.ok);
  CHECK(sample_count(any.series) == writer.acked);
}

TEST_CASE("a store-gateway lists blocks at most every sync interval, and again when a block vanished", "[mimir][ltp]") {
  ReadPathFixture f(1, {"zone-a"}, 1);
  StoreGatewayOptions options;
  options.sync_interval = 60_s;
  const sim::NodeId gateway = f.sim.add_node(sim::NodeSpec{"store-gateway-zone-a", "zone-a", store_gateway_boot(f.store, options), {}});
  f.sim.start(gateway);
  const auto put = [&](std::string_view source, const Block& block) {
    f.await<bool>([&] {
      objstore::ObjectStoreClient client(f.sim, f.client, f.store);
      return client.put(block_key(kTenant, source, block.min_time_ms(), block.max_time_ms()), block.serialize()).ok();
    });
  };
  const auto block_of = [](TimestampMs mint, TimestampMs ts) {
    return Block(mint, mint + kRangeMs, {BlockSeries{test_series(0), series_labels(0), {Sample{ts, 1.0}}}});
  };
  const auto& catalog = f.sim.node(gateway).process_as<StoreGateway>().catalog_stats();
  put("zone-a/partition-0-0000-000000", block_of(0, 1000));
  put("zone-a/partition-0-0000-000001", block_of(kRangeMs, kRangeMs + 1000));
  // Lists both blocks, loads the first only (the second is out of range).
  CHECK(sample_count(query_store_gateway(f, gateway, select({0}, 0, kRangeMs - 1)).series) == 1);
  CHECK(catalog.lists == 1);
  // The compactor replaces the second block: the stale listing's GET finds
  // it gone, and the store-gateway lists again at once.
  f.await<bool>([&] {
    objstore::ObjectStoreClient client(f.sim, f.client, f.store);
    (void)client.put(block_key(kTenant, kCompactedSource, kRangeMs, 2 * kRangeMs),
                     block_of(kRangeMs, kRangeMs + 1000).serialize());
    return client.remove(block_key(kTenant, "zone-a/partition-0-0000-000001", kRangeMs, 2 * kRangeMs)).ok();
  });
  CHECK(sample_count(query_store_gateway(f, gateway, select({0})).series) == 2);
  CHECK(catalog.relists == 1);
  CHECK(catalog.lists == 2);
  // A new block is not seen before the next sync...
  put("zone-a/partition-0-0000-000002", block_of(2 * kRangeMs, 2 * kRangeMs + 1000));
  CHECK(sample_count(query_store_gateway(f, gateway, select({0})).series) == 2);
  CHECK(catalog.lists == 2);
  // ...and is after it.
  f.sim.run_for(61_s);
  CHECK(sample_count(query_store_gateway(f, gateway, select({0})).series) == 3);
  CHECK(catalog.lists == 3);
}
