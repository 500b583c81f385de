#include "weir/models/mimir/ingester_wal.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "weir/sim/assert.h"

namespace weir::models::mimir {
namespace {

constexpr std::string_view kWalPrefix = "wal/";

std::optional<std::uint64_t> parse_index(const std::string& path) {
  if (!path.starts_with(kWalPrefix)) return std::nullopt;
  const std::string_view digits = std::string_view(path).substr(kWalPrefix.size());
  std::uint64_t index = 0;
  const auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return index;
}

}  // namespace

IngesterWal::IngesterWal(sim::Disk& disk, std::uint64_t segment_max_bytes)
    : disk_(disk), segment_max_bytes_(segment_max_bytes) {}

std::string IngesterWal::segment_path(std::uint64_t index) { return fmt::format("wal/{:08d}", index); }

std::vector<std::string> IngesterWal::segment_paths() const {
  std::vector<std::string> paths;
  for (const Segment& s : segments_) paths.push_back(segment_path(s.index));
  return paths;
}

WalReplayStats IngesterWal::replay(const std::function<void(const WalRecord&)>& apply) {
  WalReplayStats stats;
  std::vector<std::uint64_t> indexes;
  for (const std::string& path : disk_.list(kWalPrefix)) {
    if (auto index = parse_index(path)) indexes.push_back(*index);
  }
  std::sort(indexes.begin(), indexes.end());
  bool stop = false;
  for (std::uint64_t index : indexes) {
    const std::string path = segment_path(index);
    if (stop) {
      disk_.remove(path);
      ++stats.dropped_segments;
      continue;
    }
    segments_.push_back(Segment{index, {}});
    replay_segment(segments_.size() - 1, path, stats, apply, stop);
  }
  next_index_ = indexes.empty() ? 0 : indexes.back() + 1;
  rotate_pending_ = true;
  return stats;
}

void IngesterWal::replay_segment(std::size_t position, const std::string& path, WalReplayStats& stats,
                                 const std::function<void(const WalRecord&)>& apply, bool& stop) {
  ++stats.segments;
  const std::optional<std::string> bytes = disk_.read(path);
  if (!bytes) return;
  WalReader reader(*bytes);
  WalRecord record;
  while (reader.next(record)) {
    note(segments_[position], record);
    apply(record);
    ++stats.records;
  }
  if (reader.tail() == WalTail::clean) return;
  if (reader.tail() == WalTail::truncated) ++stats.torn_tails;
  if (reader.tail() == WalTail::corrupt) ++stats.corrupt_frames;
  // The repair must be durable before anything is appended after it: an
  // unsynced truncate is undone by a crash, which brings the bad frame back,
  // and the next replay would then stop there again and delete every segment
  // written since (Prometheus' repair rewrites the segment and syncs it).
  // A failed fsync leaves the repair pending: sync() retries it before it
  // syncs any later segment, so the durable log stays a prefix.
  Segment& segment = segments_[position];
  segment.repair_pending = true;
  if (disk_.truncate(path, reader.valid_bytes()) == sim::DiskStatus::ok && disk_.fsync(path) == sim::DiskStatus::ok) {
    segment.repair_pending = false;
  }
  stop = true;
}

void IngesterWal::note(Segment& segment, const WalRecord& record) {
  for (const WalSeries& series : record.series) {
    if (series.samples.empty()) continue;
    TimestampMs newest = series.samples.front().timestamp_ms;
    for (const Sample& s : series.samples) newest = std::max(newest, s.timestamp_ms);
    auto [it, inserted] = segment.newest_by_tenant.try_emplace(record.tenant, newest);
    if (!inserted) it->second = std::max(it->second, newest);
  }
}

IngesterWal::Segment& IngesterWal::active() {
  if (rotate_pending_) {
    // Segment numbers only grow: replay reads them in number order.
    WEIR_ASSERT(segments_.empty() || next_index_ > segments_.back().index, "WAL segment {} opened after segment {}",
                next_index_, segments_.back().index);
    segments_.push_back(Segment{next_index_++, {}});
    rotate_pending_ = false;
    writer_.start_segment();
  }
  return segments_.back();
}

sim::DiskStatus IngesterWal::append(const WalRecord& record) {
  std::string_view frame = writer_.encode(record);
  if (!rotate_pending_ && !segments_.empty()) {
    const std::uint64_t size = disk_.size(segment_path(segments_.back().index));
    if (size > 0 && size + frame.size() > segment_max_bytes_) rotate_pending_ = true;
  }
  if (rotate_pending_) {
    active();
    frame = writer_.encode(record);  // a new segment logs every label anew
  }
  Segment& segment = active();
  const std::uint64_t index = segment.index;
  // Noted before the write: a concurrent drop_covered() must not delete a
  // segment whose newest samples it has not seen yet.
  note(segment, record);
  const sim::DiskStatus status = disk_.append(segment_path(index), frame);
  // A rotation while the write was under way began a segment of its own.
  if (status == sim::DiskStatus::ok && !rotate_pending_ && segments_.back().index == index) writer_.landed(record);
  return status;
}

bool IngesterWal::sync() {
  // Copies the segments first: segments_ may change while an fsync blocks.
  struct Pending {
    std::uint64_t index;
    bool repair;
  };
  std::vector<Pending> pending;
  for (const Segment& s : segments_) pending.push_back(Pending{s.index, s.repair_pending});
  for (const Pending& p : pending) {
    const std::string path = segment_path(p.index);
    // A repair cut whose fsync at replay failed is synced like unsynced bytes.
    if (!p.repair && disk_.unsynced_bytes(path) == 0) continue;
    const sim::DiskStatus status = disk_.fsync(path);
    if (status != sim::DiskStatus::ok && status != sim::DiskStatus::not_found) return false;
    if (p.repair) clear_repair(p.index);
  }
  if (!pending.empty()) synced_through_ = static_cast<std::int64_t>(pending.back().index);
  return true;
}

void IngesterWal::clear_repair(std::uint64_t index) {
  for (Segment& s : segments_) {
    if (s.index == index) s.repair_pending = false;
  }
}

void IngesterWal::rotate() {
  if (!segments_.empty() && !rotate_pending_) rotate_pending_ = true;
}

std::size_t IngesterWal::drop_covered(const std::map<std::string, TimestampMs>& boundaries) {
  const auto covered = [&](const Segment& segment) {
    for (const auto& [tenant, newest] : segment.newest_by_tenant) {
      const auto it = boundaries.find(tenant);
      if (it == boundaries.end() || newest >= it->second) return false;
    }
    return true;
  };
  std::vector<std::uint64_t> doomed;
  const std::size_t closed = rotate_pending_ ? segments_.size() : segments_.size() - 1;
  for (std::size_t i = 0; i < closed && i < segments_.size(); ++i) {
    if (covered(segments_[i])) doomed.push_back(segments_[i].index);
  }
  std::erase_if(segments_, [&](const Segment& s) {
    return std::find(doomed.begin(), doomed.end(), s.index) != doomed.end();
  });
  for (std::uint64_t index : doomed) disk_.remove(segment_path(index));
  return doomed.size();
}

}  // namespace weir::models::mimir
