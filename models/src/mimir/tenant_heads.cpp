#include "weir/models/mimir/tenant_heads.h"

#include <algorithm>

#include "weir/models/mimir/series_merge.h"
#include "weir/models/mimir/shard.h"

namespace weir::models::mimir {
Head& TenantHeads::head_of(const std::string& tenant) {
  return heads_.try_emplace(tenant, options_).first->second;
}

AppendOutcome TenantHeads::append(Head& head, Head::SeriesRef ref, Sample sample, const AppendBounds& bounds) {
  const AppendOutcome outcome = head.append(ref, sample, bounds);
  ++counts_[static_cast<std::size_t>(outcome)];
  return outcome;
}

WalRecord TenantHeads::to_wal_record(const std::string& tenant, const prometheus::WriteRequest& request,
                                     std::int64_t offset) {
  WalRecord record{offset, tenant, {}};
  record.series.reserve(static_cast<std::size_t>(request.timeseries_size()));
  for (const prometheus::TimeSeries& ts : request.timeseries()) {
    WalSeries series{series_id(tenant, ts.labels()), to_labels(ts.labels()), {}};
    series.samples.reserve(static_cast<std::size_t>(ts.samples_size()));
    for (const prometheus::Sample& s : ts.samples()) series.samples.push_back(Sample{s.timestamp(), s.value()});
    record.series.push_back(std::move(series));
  }
  return record;
}

void TenantHeads::apply(const WalRecord& record) {
  Head& head = head_of(record.tenant);
  const AppendBounds bounds = head.bounds();
  for (const WalSeries& series : record.series) {
    const Head::SeriesRef ref = head.get_or_create_with(series.id, [&] { return series.labels; });
    for (const Sample& sample : series.samples) append(head, ref, sample, bounds);
  }
}

void TenantHeads::set_min_valid(const std::string& tenant, TimestampMs min_valid_ms) {
  head_of(tenant).raise_min_valid(min_valid_ms);
}

std::vector<std::pair<std::string, Block>> TenantHeads::cut_compactable() {
  std::vector<std::pair<std::string, Block>> cut;
  for (auto& [tenant, head] : heads_) {
    const std::optional<TimestampMs> boundary = head.compactable_boundary();
    if (!boundary) continue;
    for (Block& block : head.cut_blocks(*boundary)) cut.emplace_back(tenant, std::move(block));
  }
  return cut;
}

std::vector<std::pair<std::string, Block>> TenantHeads::cut_whole(const std::string& tenant) {
  std::vector<std::pair<std::string, Block>> cut;
  const auto it = heads_.find(tenant);
  if (it == heads_.end()) return cut;
  for (Block& block : it->second.cut_all()) cut.emplace_back(tenant, std::move(block));
  return cut;
}

void TenantHeads::query(const std::string& tenant, const properties::ReadSelector& selector, SeriesMerge& merge) const {
  const auto it = heads_.find(tenant);
  if (it == heads_.end()) return;
  for (const SeriesId id : selector.series) merge.add(id, it->second.query(id, selector.start_ms, selector.end_ms));
}

const Head* TenantHeads::head(const std::string& tenant) const {
  const auto it = heads_.find(tenant);
  return it == heads_.end() ? nullptr : &it->second;
}

std::vector<std::string> TenantHeads::tenants() const {
  std::vector<std::string> names;
  for (const auto& [tenant, head] : heads_) names.push_back(tenant);
  return names;
}

std::uint64_t TenantHeads::rejected_samples() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < kAppendOutcomeCount; ++i) {
    if (is_rejected(static_cast<AppendOutcome>(i))) total += counts_[i];
  }
  return total;
}

}  // namespace weir::models::mimir
