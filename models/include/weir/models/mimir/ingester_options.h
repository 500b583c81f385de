// IngesterOptions: how an ingester consumes its partition, serves reads and
// ships blocks, with Mimir's defaults (pkg/storage/ingest/config.go,
// pkg/storage/tsdb/config.go), plus the planted-bug knobs, all off.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "weir/models/kafka/client/consumer_options.h"
#include "weir/models/kafka/client/retry_backoff.h"
#include "weir/models/mimir/head.h"
#include "weir/models/objstore/client.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

struct IngesterOptions {
  // The Kafka reader client; client_zone defaults to the ingester's zone.
  kafka::ConsumerOptions consumer;

  // -ingest-storage.kafka.consumer-group-offset-commit-interval: how often the
  // offset of the last consumed record is committed (after a WAL fsync).
  sim::Duration commit_interval = sim::Duration::seconds(1);
  // -ingest-storage.kafka.last-produced-offset-poll-interval: how often the
  // reader asks for the partition's last produced offset (weir derives the
  // consumer lag from these polls).
  sim::Duration last_produced_offset_poll_interval = sim::Duration::seconds(1);
  // -ingest-storage.kafka.target-consumer-lag-at-startup (best effort) and
  // max-consumer-lag-at-startup (guaranteed before serving reads).
  sim::Duration target_consumer_lag_at_startup = sim::Duration::seconds(2);
  sim::Duration max_consumer_lag_at_startup = sim::Duration::seconds(15);
  // -ingest-storage.kafka.wait-strong-read-consistency-timeout.
  sim::Duration wait_strong_read_consistency_timeout = sim::Duration::seconds(20);

  // -ingest-storage.kafka.fetch-concurrency-max: concurrent Fetch requests
  // while catching up at startup, when the backlog is big enough.
  int fetch_concurrency_max = 12;
  // Records asked per concurrent Fetch. Mimir estimates it from record
  // sizes; weir uses this fixed number.
  std::int64_t records_per_fetch = 100;
  // Backoff after a failed Fetch (Mimir defaultFetchBackoffConfig: 250 ms to 2 s).
  kafka::RetryBackoff fetch_backoff{sim::Duration::milliseconds(250), sim::Duration::seconds(2), 0.2};

  HeadOptions head;
  // -blocks-storage.tsdb.head-compaction-interval: how often each tenant's
  // head is checked for a block to cut (and cut blocks are shipped).
  sim::Duration head_compaction_interval = sim::Duration::seconds(60);
  // -blocks-storage.tsdb.head-compaction-idle-timeout (1 h): a tenant head
  // that appended no sample for this long is compacted whole. 0 = never.
  sim::Duration head_compaction_idle_timeout = sim::Duration::seconds(3600);
  // -blocks-storage.tsdb.retention-period (13 h): how long a shipped block
  // stays on the ingester's disk, and queryable there, after its upload.
  sim::Duration retention_period = sim::Duration::seconds(13 * 3600);
  // -blocks-storage.tsdb.wal-segment-size-bytes (Prometheus: 128 MiB).
  std::uint64_t wal_segment_max_bytes = 128ULL << 20;
  // Backoff between failed block uploads (retried until they succeed).
  kafka::RetryBackoff upload_backoff{sim::Duration::seconds(1), sim::Duration::seconds(30), 0.2};
  objstore::ObjectStoreClientOptions object_store;
  // How often a lag sample goes into the history.
  sim::Duration lag_record_interval = sim::Duration::seconds(5);

  // ---- Planted bugs (default off).
  // Mimir #12816 / #13591: commit the Kafka offset, THEN fsync the WAL (the
  // order before WAL/WBL fsync-before-commit became mandatory). A crash
  // between the two loses the samples of the committed but unsynced records:
  // the restart resumes after them and the WAL no longer has them.
  bool commit_before_wal_fsync = false;
  // Mimir #16125 (and #7682 before it): with no committed offset, start at the
  // log end instead of the partition start, skipping every record already in
  // the partition (a gap in applied offsets).
  bool start_at_log_end_without_offset = false;
  // Mimir #9963: a Fetch split into concurrent sub-fetches over consecutive
  // offset ranges; when one of them fails, the buggy reader drops the records
  // of the whole fetch yet moves past them (a gap). Correctly, the failed
  // range is fetched again before anything after it is consumed.
  bool drop_whole_fetch_on_partial_error = false;
  // Mimir #8968: the reader's last returned offset starts at 0, Go's zero
  // value, instead of the start offset - 1, so the record at offset 0 looks
  // returned already and is dropped (a gap at the partition's start).
  bool ignore_record_at_offset_zero = false;
  // Mimir #9389: a concurrent sub-fetch answers past its offset range, and
  // the reader trims each range against its own start instead of the last
  // offset returned, so it hands the overlap out twice (re-applied records).
  bool return_overlapping_records_twice = false;
  // Mimir #9447: switching to the ongoing fetcher restarts at the last
  // returned offset, still unset (-1) when caught up without returning a
  // record (a restart with everything committed); fetching -1 is out of
  // range, so the reader re-applies the partition from the log start.
  bool resume_from_unset_last_returned_offset = false;
  // Mimir #7682: an OffsetFetch answer without the partition's offset is
  // read as its zero value, as if offset 0 were committed: an ingester with
  // nothing committed resumes at 1 and never applies the record at 0.
  bool missing_committed_offset_as_zero = false;

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::mimir
