// ShippedLog: a small durable file on the ingester's disk that remembers, per
// tenant, the time up to which every sample is in blocks already uploaded to
// object storage. Prometheus knows this from the blocks on its local disk
// (the head's min valid time starts at the newest block's max time); weir
// keeps the blocks in memory only, so it persists just that boundary.
//
// After a restart the ingester raises each tenant head's min valid time to
// its boundary before replaying the WAL: samples below it are then refused
// (they are in object storage), so WAL segments wholly below it may be
// deleted and a re-cut can never produce a partial copy of a shipped block.
//
// Format: one line "<tenant> <boundary_ms>\n" per shipment, appended and
// fsynced; load() keeps the largest boundary per tenant and ignores a torn
// last line. Contract: calls block the calling fiber (disk latency); the Disk
// is the node's and outlives the process.
#pragma once

#include <map>
#include <string>

#include "weir/models/mimir/types.h"
#include "weir/sim/disk.h"

namespace weir::models::mimir {

inline constexpr std::string_view kShippedLogPath = "tsdb/shipped";

class ShippedLog {
 public:
  explicit ShippedLog(sim::Disk& disk) : disk_(disk) {}

  std::map<std::string, TimestampMs> load();
  // True once the boundary is durable.
  bool record(const std::string& tenant, TimestampMs boundary_ms);

 private:
  sim::Disk& disk_;
};

}  // namespace weir::models::mimir
