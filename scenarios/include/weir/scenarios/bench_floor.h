// The pipeline's floor: the least work that ingesting a workload's samples
// takes, timed with no simulation, so that `weir bench pipeline` can say how
// far above it the simulated pipeline runs (its floor_ratio).
//
// The floor takes the requests the Prometheus clients of the pipeline would
// send (the same series labels, batches of max_samples_per_send, one sample
// per series per scrape) and does, once per copy the pipeline must hold:
//   1. snappy-uncompress and protobuf-decode each remote-write request (the
//      distributor);
//   2. shard its series over the partition ring and encode one Kafka record
//      per partition it touches (the distributor's ingest records);
//   3. in each ingester zone, decode each record and append its samples to
//      that zone's head of the partition (the ingesters).
// Building the requests (the clients' work) is not timed. Nothing else is
// done: no network, no log, no WAL, no checking. docs/benchmarks.md defines
// the floor for users.
//
// Contract: a pure measurement; reads the wall clock; owns all it builds.
#pragma once

#include <cstdint>
#include <string>

namespace weir::scenarios {

struct FloorWorkload {
  int clients = 6;  // each with its own instance label, as in the pipeline
  int series_per_client = 1000;
  int scrapes = 20;
  std::int64_t scrape_interval_ms = 15'000;
  int partitions = 16;
  int ingester_zones = 2;
  int max_samples_per_send = 2000;
  std::string tenant = "tenant-1";
};

struct FloorReport {
  std::uint64_t samples = 0;   // samples scraped, each sent once
  std::uint64_t samples_appended = 0;  // samples the heads took, over every zone
  std::uint64_t requests = 0;  // remote-write requests decoded
  std::uint64_t records = 0;   // Kafka records encoded
  double wall_seconds = 0;     // the timed work only
  double samples_per_wall_second = 0;
};

FloorReport measure_pipeline_floor(const FloorWorkload& workload);

}  // namespace weir::scenarios
