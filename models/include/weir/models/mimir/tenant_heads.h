// TenantHeads: an ingester's TSDBs, one Head per tenant (Mimir's ingester
// keeps one TSDB per tenant), and the blocks cut from them that the ingester
// still holds: blocks waiting for upload, and shipped blocks kept queryable
// for the retention period (Mimir keeps them on local disk; weir in memory,
// so they are gone after a crash, when object storage has them).
//
// to_wal_record() turns a decoded remote-write request into the WAL record
// the ingester logs BEFORE appending (Prometheus' appender commit writes the
// WAL, then makes the samples visible). apply() appends a record's samples
// with the TSDB rules of head.h, evaluating the whole record against one
// snapshot of the head's bounds (one appender per request); rejected samples
// are client errors: counted and skipped. WAL replay uses apply() too, so it
// makes the same decisions.
//
// Contract: a volatile part of the ingester's process; deterministic
// (tenants in an ordered map). Not thread-safe (one simulation thread).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/mimir/block.h"
#include "weir/models/mimir/head.h"
#include "weir/models/mimir/wal_record.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/read.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

struct LocalBlock {
  std::string tenant;
  Block block;
  std::uint64_t cut_sequence = 0;       // order of cutting in this process
  std::optional<sim::Time> shipped_at;  // set once uploaded
};

class TenantHeads {
 public:
  explicit TenantHeads(HeadOptions options) : options_(options) {}

  static WalRecord to_wal_record(const std::string& tenant, const prometheus::WriteRequest& request,
                                 std::int64_t offset);
  void apply(const WalRecord& record);
  // Raises a tenant's min valid time to `boundary_ms` (its shipped boundary).
  void set_min_valid(const std::string& tenant, TimestampMs boundary_ms);

  // Cuts every head that Prometheus would compact; the new blocks join the
  // held blocks unshipped. Returns (tenant, boundary) of each cut.
  std::vector<std::pair<std::string, TimestampMs>> cut_compactable(std::uint64_t& next_cut_sequence);
  std::vector<LocalBlock>& blocks() { return blocks_; }
  const std::vector<LocalBlock>& blocks() const { return blocks_; }
  // Forgets shipped blocks older than `retention` (by shipping time).
  void expire_shipped(sim::Time now, sim::Duration retention);
  // True if every block of `tenant` cut up to `boundary_ms` is shipped.
  bool shipped_up_to(const std::string& tenant, TimestampMs boundary_ms) const;

  // Samples of the selected series from the tenant's head and held blocks.
  std::vector<properties::SeriesResult> query(const std::string& tenant, const properties::ReadSelector& selector) const;

  const Head* head(const std::string& tenant) const;
  std::vector<std::string> tenants() const;
  std::uint64_t count(AppendOutcome outcome) const { return counts_[static_cast<std::size_t>(outcome)]; }
  std::uint64_t rejected_samples() const;

 private:
  Head& head_of(const std::string& tenant);
  AppendOutcome append(Head& head, Head::SeriesRef ref, Sample sample, const AppendBounds& bounds);

  HeadOptions options_;
  std::map<std::string, Head> heads_;
  std::vector<LocalBlock> blocks_;
  std::array<std::uint64_t, kAppendOutcomeCount> counts_{};
};

}  // namespace weir::models::mimir
