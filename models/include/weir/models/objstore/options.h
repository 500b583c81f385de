// Options of the S3-like object store: latencies and fault knobs.
//
// Latency of a request = first-byte latency (drawn per request) + the bytes
// moved / the throughput of one connection, both scaled by the slow fault's
// multiplier. Defaults follow S3 Standard as measured from EC2 in the same
// region: small GETs have a median first byte of ~15 ms, PUTs ~30 ms, with
// tails of a few hundred ms; one connection moves ~80 MiB/s.
// Every fault is off by default and may be changed while the simulation runs
// through ObjectStore::set_faults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/sim/latency.h"
#include "weir/sim/time.h"

namespace weir::models::objstore {

// Requests arriving (or finishing) inside [start, end) hang until `end`.
struct StallWindow {
  sim::Time start;
  sim::Time end;
};

struct ObjectStoreFaults {
  // Slow: every latency is multiplied by this (>= 1 slows down).
  double latency_multiplier = 1.0;
  // Stalls: windows during which requests hang until the window ends.
  std::vector<StallWindow> stalls;
  // 503 SlowDown: a request is rejected with this probability (nothing applied).
  double slow_down_probability = 0.0;
  // Timeouts: a request hangs with this probability, answering only after
  // `timed_out_request_hang` (later than any sane client timeout). A hanging
  // PUT or DELETE is applied with `timed_out_write_applied_probability`, so a
  // client's timeout is truly ambiguous.
  double timeout_probability = 0.0;
  double timed_out_write_applied_probability = 0.5;
  sim::Duration timed_out_request_hang = sim::Duration::seconds(60);
  // Unavailable: the endpoints of these zones refuse every request
  // (ObjectStatus::unavailable), or, with `unavailable_drops_requests`, hang
  // like a timed-out request (applying nothing).
  std::vector<std::string> unavailable_zones;
  bool unavailable_drops_requests = false;

  std::optional<std::string> validate() const;
};

struct ObjectStoreOptions {
  sim::Latency get_first_byte = sim::Latency::lognormal(sim::Duration::milliseconds(15), sim::Duration::milliseconds(100));
  sim::Latency put_first_byte = sim::Latency::lognormal(sim::Duration::milliseconds(30), sim::Duration::milliseconds(200));
  sim::Latency list_latency = sim::Latency::lognormal(sim::Duration::milliseconds(20), sim::Duration::milliseconds(150));
  sim::Latency delete_latency = sim::Latency::lognormal(sim::Duration::milliseconds(15), sim::Duration::milliseconds(100));
  // Throughput of one request's connection, for the size-dependent part.
  std::uint64_t bytes_per_second = 80ULL * 1024 * 1024;
  // Keys returned per LIST page at most (S3: 1,000).
  std::uint32_t list_max_keys = 1000;
  ObjectStoreFaults faults;

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::objstore
