// Measures: the numbers one run reports beside its verdict, so two designs
// can be compared on the same seeds (`weir compare`). Pure functions of what
// the run left behind (its History, the Network's byte counters, the object
// store's request counters); none of them reads the wall clock, so the same
// seed gives the same measures.
//
// Names end in their unit. Latencies are simulated milliseconds:
//   write_ack_latency_{p50,p99,max}_ms   acked writes, invoke to 2xx
//   read_strong_latency_{p50,p99}_ms     successful strong reads (not final drain reads)
//   read_eventual_latency_{p50,p99}_ms   successful eventual reads (same)
// Bytes crossing zones, counted once per crossing (sim::Network):
//   cross_zone_bytes                     every traffic class
//   cross_zone_bytes.CLASS               one class: produce, replication, fetch and
//                                        metadata always (0 when none crossed);
//                                        query, remote_write... when some did
// Object storage (requests received, whatever their outcome) and the bill
// (models::CostMeter, S3 Standard and $0.02/GB cross-zone prices):
//   objstore_{put,get,list,delete}_requests
//   cross_zone_cost_usd, objstore_request_cost_usd, objstore_storage_cost_usd, total_cost_usd
// A latency measure is absent when the run had no such operation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "weir/models/objstore/object_store.h"
#include "weir/properties/history.h"
#include "weir/sim/network.h"

namespace weir::scenarios {

// The nearest-rank percentile: the smallest value such that at least p% of
// the values are less than or equal to it, i.e. sorted[ceil(p/100 * n) - 1]
// (sorted[0] for p = 0). Always one of the values, never an interpolation.
// Expects 0 <= p <= 100 and at least one value; `values` need not be sorted.
double nearest_rank_percentile(std::vector<double> values, double p);

// The run's measures. `store` may be null (no object store: no object-store
// measures). Borrowed for the call only.
std::map<std::string, double> measure(const properties::History& history, const sim::Network& network,
                                      const models::objstore::ObjectStore* store);

}  // namespace weir::scenarios
