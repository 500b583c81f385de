// TenantHeads: an ingester's TSDB heads, one Head per tenant (Mimir's
// ingester keeps one TSDB per tenant). The blocks cut from them belong to
// the ingester's LocalBlocks (local_blocks.h), which keeps them on disk.
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
#include "weir/models/mimir/series_merge.h"
#include "weir/models/mimir/wal_record.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/read.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

class TenantHeads {
 public:
  explicit TenantHeads(HeadOptions options) : options_(options) {}

  static WalRecord to_wal_record(const std::string& tenant, const prometheus::WriteRequest& request,
                                 std::int64_t offset);
  void apply(const WalRecord& record);
  // Raises a tenant's min valid time to `min_valid_ms` (its newest block's max time).
  void set_min_valid(const std::string& tenant, TimestampMs min_valid_ms);

  // Cuts every head that Prometheus would compact (more than 1.5 block
  // ranges); returns the blocks by tenant, in cutting order.
  std::vector<std::pair<std::string, Block>> cut_compactable();
  // Mimir's idle compaction: the whole head of `tenant` into blocks.
  std::vector<std::pair<std::string, Block>> cut_whole(const std::string& tenant);

  // Samples of the selected series in the tenant's head.
  void query(const std::string& tenant, const properties::ReadSelector& selector, SeriesMerge& merge) const;

  const Head* head(const std::string& tenant) const;
  std::vector<std::string> tenants() const;
  std::uint64_t count(AppendOutcome outcome) const { return counts_[static_cast<std::size_t>(outcome)]; }
  std::uint64_t rejected_samples() const;

 private:
  Head& head_of(const std::string& tenant);
  AppendOutcome append(Head& head, Head::SeriesRef ref, Sample sample, const AppendBounds& bounds);

  HeadOptions options_;
  std::map<std::string, Head> heads_;
  std::array<std::uint64_t, kAppendOutcomeCount> counts_{};
};

}  // namespace weir::models::mimir
