// Options of the diskless (WarpStream-like) Kafka: topology, agent batching,
// timeouts, the metadata service's latency, and the design-hazard knobs.
//
// Defaults follow WarpStream's defaults: agents buffer produce requests for
// 250 ms or 8 MiB before one PUT, which gives a produce p99 of about 400 ms
// over S3 Standard. Every knob that changes behaviour away from the safe
// design is a named option, off by default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/sim/disk.h"
#include "weir/sim/latency.h"
#include "weir/sim/time.h"

namespace weir::models::kafka::diskless {

struct TopicSpec {
  std::string name;
  std::int32_t partitions = 1;
};

struct DisklessOptions {
  // ---- Topology.
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  std::uint32_t agents_per_zone = 1;
  std::vector<TopicSpec> topics = {{"ingest", 4}};
  std::string metadata_zone;  // zone of the metadata service's node; empty: the first zone

  // ---- Agent batching and caching.
  sim::Duration batch_timeout = sim::Duration::milliseconds(250);
  std::uint64_t batch_max_bytes = 8ULL * 1024 * 1024;
  std::uint64_t cache_max_bytes = 256ULL * 1024 * 1024;  // decoded batches kept per agent (LRU)

  // ---- The agent's calls to object storage and to the metadata service.
  sim::Duration object_store_timeout = sim::Duration::seconds(5);
  std::uint32_t object_store_attempts = 3;  // tries of one PUT or GET (SlowDown, timeouts)
  sim::Duration metadata_timeout = sim::Duration::seconds(2);
  std::uint32_t metadata_attempts = 3;  // tries of one commit (idempotent by object)
  sim::Duration retry_backoff = sim::Duration::milliseconds(50);  // times the attempt number

  // ---- The metadata service (one node modelling a replicated, linearizable store).
  // A write (commit, offset commit) pays a consensus round; a read is cheaper.
  sim::Latency metadata_write_latency =
      sim::Latency::lognormal(sim::Duration::milliseconds(5), sim::Duration::milliseconds(25));
  sim::Latency metadata_read_latency =
      sim::Latency::lognormal(sim::Duration::milliseconds(1), sim::Duration::milliseconds(5));
  sim::Duration heartbeat_interval = sim::Duration::seconds(1);
  sim::Duration agent_liveness_timeout = sim::Duration::seconds(3);  // no heartbeat for this long: dead

  // ---- Design-hazard knobs (default off).
  // WarpStream-like low-latency hazard: the agent acknowledges a produce as
  // soon as its object is uploaded, with an offset it guesses, before the
  // metadata commit assigns the real one. An acknowledged record may then be
  // at another offset, or never appear if the agent dies before committing:
  // strong reads miss acknowledged writes.
  bool ack_before_commit = false;
  // AutoMQ-like WAL: the agent writes each batch to a write-ahead log on its
  // own disk (an EBS volume: durable, replicated inside its zone), has the
  // metadata service sequence it (offsets final, data read from the WAL's
  // owner), acknowledges, and uploads to object storage later. A restarted
  // agent recovers its WAL, so acknowledged records survive agent crashes.
  bool automq_wal_mode = false;
  // Planted bug (AutoMQ #106, fixed by #107), WAL mode only: a restarted
  // agent starts with an empty WAL instead of recovering (and uploading) the
  // entries its disk still holds. Records sequenced and acknowledged from
  // those entries have their data nowhere else: readers never get them.
  bool skip_wal_recovery_on_restart = false;
  sim::Duration wal_flush_interval = sim::Duration::milliseconds(5);  // WAL mode: gathering time per WAL write
  sim::DiskOptions agent_disk;  // the agents' disks (only the WAL uses them)

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::kafka::diskless
