// Ingester: one Mimir ingester in the ingest-storage architecture: it
// consumes one Kafka partition in one zone (node "ingester-zone-a-13" reads
// partition 13 for zone-a), keeps per-tenant TSDB heads and a WAL on its
// node's disk, cuts blocks onto that disk, ships them to object storage and
// answers queries (pkg/storage/ingest/reader.go, pkg/ingester/ingester.go).
//
// Start: load the blocks on the disk (LocalBlocks: a block that fails to
// parse is discarded, its samples are still in the WAL), raise each tenant's
// head to its newest block's max time, replay the WAL (stopping at a torn
// tail), then read the consumer group's
// committed offset (the group is the ingester's name, as Mimir's default
// consumer group is the instance id). Mimir commits the offset of the last
// record consumed, so consumption resumes at committed + 1; with nothing
// committed it starts at the partition start (ListOffsets earliest). Until
// the consumer lag is under max_consumer_lag_at_startup (15 s; lag = time
// since the last produced offset that has just been reached was asked for,
// with a best-effort pass for the 2 s target lag) queries are refused with
// "not serving yet (catching up)". While catching up the PartitionFetcher
// may split the backlog into concurrent fetches; once ready, it fetches one
// long poll at a time.
//
// Consume: each record is decoded (undecodable ones are counted, skipped and
// still consumed), its samples written to the WAL (a failed write is retried
// until it succeeds, stalling consumption) and then appended to the tenant's
// head, becoming visible (rejections are client errors: counted and
// skipped); then the record counts as consumed: recorded as applied in the
// history with the record's digest. Re-consumed records after a restart are
// harmless: identical samples are accepted silently, older ones rejected.
//
// Commit: every commit_interval, if the last consumed offset moved, the WAL
// is fsynced, then that offset committed (record_committed); a failed fsync
// skips the commit until the next tick.
//
// Blocks: every head_compaction_interval, heads spanning more than 1.5 block
// ranges are cut into blocks, and so is the whole head of a tenant that
// appended nothing for head_compaction_idle_timeout (Mimir's idle
// compaction); the WAL rotates. The new blocks are written and fsynced to the
// disk in cutting order (retried at the next tick on failure), and only then
// may the WAL segments they cover be deleted (Prometheus writes the block,
// then truncates the WAL). The head is truncated in memory at the cut; the
// blocks stay queryable from memory meanwhile, and a crash before the fsync
// recovers their samples from the WAL. Durable blocks not yet shipped are
// uploaded (retried until they succeed) to block_key(tenant,
// "<zone>/partition-<p>-<block id>", mint, maxt), unique per block like
// Mimir's ULIDs (a re-upload after a crash overwrites the same object), and
// recorded in the shipper meta; this also runs right after a restart.
// Shipped blocks stay on disk and queryable until retention_period after
// their upload, then are deleted. A lost disk loses them; object storage
// keeps the shipped ones.
//
// Reads (kIngesterQueryService): the tenant's head and local blocks; a strong
// read (min_offset >= 0) first waits until the last consumed offset reaches
// min_offset, at most wait_strong_read_consistency_timeout (and the
// request's max_wait), else fails with "strong read timed out".
//
// Ownership: the Process of its node, built by ingester_boot(); the
// ObjectStore and History given in the setup must outlive the Simulation's
// run. A crash destroys everything but the disk; the boot function rebuilds it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/client/consumer.h"
#include "weir/models/mimir/ingester_options.h"
#include "weir/models/mimir/ingester_wal.h"
#include "weir/models/mimir/offset_watcher.h"
#include "weir/models/mimir/partition_fetcher.h"
#include "weir/models/mimir/read_topology.h"
#include "weir/models/mimir/services.h"
#include "weir/models/mimir/local_blocks.h"
#include "weir/models/mimir/tenant_heads.h"
#include "weir/models/objstore/client.h"
#include "weir/properties/history.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// Consuming resumes at `offset` (the committed offset + 1, or a log bound).
inline constexpr sim::TraceKind kTraceIngesterStarted{"mimir.ingester.started",
                                                      "partition {partition}: started, resuming at offset {offset}"};
// The WAL found at start was replayed into the heads (offset: the newest record's, -1 if none).
inline constexpr sim::TraceKind kTraceIngesterWalReplayed{
    "mimir.ingester.wal_replayed", "partition {partition}: replayed {records} WAL records up to offset {offset}"};
// Caught up at start: serving queries from now on (offset: the last consumed).
inline constexpr sim::TraceKind kTraceIngesterReady{"mimir.ingester.ready", "partition {partition}: ready at offset {offset}"};
// One record consumed and applied to the heads (record: the Kafka record's digest).
inline constexpr sim::TraceKind kTraceIngesterApplied{
    "mimir.ingester.applied", "applied partition {partition} offset {offset}: {samples} samples, record {record:hex}"};
// A WAL fsync completed, through this segment.
inline constexpr sim::TraceKind kTraceIngesterWalSynced{"mimir.ingester.wal_synced", "WAL synced through segment {segment}"};
// The consumed offset was committed to the log's consumer group.
inline constexpr sim::TraceKind kTraceIngesterCommitted{"mimir.ingester.committed",
                                                        "committed partition {partition} offset {offset}"};
// The head cut a block (min_ms..max_ms: the block's time range, max exclusive).
inline constexpr sim::TraceKind kTraceIngesterBlockCut{"mimir.ingester.block_cut",
                                                       "cut block {block:text} covering {min_ms}..{max_ms} ms"};
// A block was uploaded to the object store and recorded as shipped.
inline constexpr sim::TraceKind kTraceIngesterBlockShipped{"mimir.ingester.block_shipped", "shipped block {block:text}"};
// A query answered (offset: the strong read's offset waited for, -1 for none).
inline constexpr sim::TraceKind kTraceIngesterQuery{
    "mimir.ingester.query",
    "read #{read}: answered {series} series for partition {partition} after waiting for offset {offset}"};
// A query refused: not caught up yet, or the strong read's wait timed out.
inline constexpr sim::TraceKind kTraceIngesterQueryFailed{
    "mimir.ingester.query_failed", "read #{read}: failed for partition {partition}: {error:text}"};

struct IngesterSetup {
  std::string zone;  // empty: the node's zone
  PartitionId partition = 0;
  std::string topic = "ingest";
  std::vector<sim::NodeId> log_bootstrap;             // LogCluster::bootstrap(zone)
  const objstore::ObjectStore* object_store = nullptr;  // required
  properties::History* history = nullptr;              // optional
  // Optional run-wide counters that outlive restarts (a scenario's): the
  // ingester adds "blocks_shipped_<zone>" and "blocks_cut_<zone>".
  std::map<std::string, std::uint64_t>* counters = nullptr;
  IngesterOptions options;

  std::optional<std::string> validate() const;
};

struct IngesterStats {
  WalReplayStats replay;
  std::uint64_t records_consumed = 0;
  std::uint64_t records_undecodable = 0;
  std::uint64_t offset_gaps = 0;  // a record consumed past the next expected offset
  std::uint64_t wal_write_failures = 0;
  std::uint64_t wal_sync_failures = 0;
  std::uint64_t commits = 0;
  std::uint64_t commit_failures = 0;
  LocalBlocksLoad blocks_loaded;
  std::uint64_t blocks_cut = 0;
  std::uint64_t idle_compactions = 0;
  std::uint64_t blocks_written = 0;
  std::uint64_t block_write_failures = 0;
  std::uint64_t blocks_shipped = 0;
  std::uint64_t blocks_expired = 0;
  std::uint64_t upload_failures = 0;
  std::uint64_t wal_segments_dropped = 0;
  std::uint64_t queries = 0;
  std::uint64_t queries_not_ready = 0;
  std::uint64_t strong_reads = 0;
  std::uint64_t strong_read_timeouts = 0;
};

class Ingester : public sim::Process {
 public:
  // Throws std::invalid_argument if the setup is invalid.
  Ingester(sim::Simulation& sim, sim::NodeId node, IngesterSetup setup);
  ~Ingester() override;
  Ingester(const Ingester&) = delete;
  Ingester& operator=(const Ingester&) = delete;

  bool ready() const { return ready_; }
  // Where consumption (re)started; -1 until resolved.
  std::int64_t start_offset() const { return start_offset_; }
  std::int64_t last_consumed_offset() const { return consumed_.last(); }
  std::int64_t last_committed_offset() const { return last_committed_; }
  // The consumer lag last measured (0 when caught up).
  sim::Duration lag() const { return lag_; }
  const std::string& consumer_group() const { return group_; }
  const std::string& zone() const { return zone_; }
  const IngesterStats& stats() const { return stats_; }
  const TenantHeads& heads() const { return heads_; }
  const IngesterWal& wal() const { return wal_; }
  const LocalBlocks& local_blocks() const { return blocks_; }
  // Null until consumption starts.
  const PartitionFetcher* fetcher() const { return fetcher_.get(); }

 private:
  // ingester.cpp: start-up and reads.
  void run();
  void recover();
  std::int64_t resolve_start_offset();
  void wait_until_caught_up();
  std::optional<sim::Duration> honor_lag(sim::Duration max_lag, sim::Time deadline);
  std::optional<std::int64_t> last_produced_offset();
  std::optional<std::int64_t> partition_start_offset();
  sim::Payload<IngesterQueryResponse> serve_query(const IngesterQueryRequest& request);
  sim::Duration strong_read_timeout(const IngesterQueryRequest& request) const;
  void backoff(const kafka::RetryBackoff& policy, int failures);

  // ingester_loops.cpp: the background work.
  void consume_loop();
  void apply(const kafka::FetchedRecord& fetched);
  void write_wal(const WalRecord& record);
  void commit_loop();
  void sync_and_commit(std::int64_t offset);
  void trace_wal_synced();
  bool commit(std::int64_t offset);
  void lag_loop();
  void compaction_loop();
  void cut_blocks();
  void keep_blocks(std::vector<std::pair<std::string, Block>> cut);
  void write_blocks();
  void ship_blocks();
  bool upload(LocalBlock& block);
  void count(const std::string& name);

  sim::Simulation& sim_;
  sim::NodeId node_;
  IngesterSetup setup_;
  std::string zone_;
  std::string group_;
  kafka::TopicPartition tp_;
  sim::Random random_;
  kafka::Consumer consumer_;
  objstore::ObjectStoreClient objects_;
  IngesterWal wal_;
  LocalBlocks blocks_;
  TenantHeads heads_;
  OffsetWatcher consumed_;
  std::unique_ptr<PartitionFetcher> fetcher_;

  bool ready_ = false;
  std::int64_t start_offset_ = -1;
  std::int64_t next_expected_offset_ = -1;
  std::int64_t last_committed_ = -1;
  sim::Duration lag_;
  std::map<std::string, sim::Time> last_append_;  // per tenant, for idle compaction
  std::uint64_t next_cut_sequence_ = 0;
  IngesterStats stats_;
};

// A boot function building an Ingester with `setup` (validated now: throws
// std::invalid_argument if invalid).
sim::BootFn ingester_boot(IngesterSetup setup);

}  // namespace weir::models::mimir
