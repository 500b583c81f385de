#include "partition_log.h"

#include <algorithm>
#include <cstring>

#include "byte_codec.h"
#include "weir/sim/assert.h"
#include "weir/sim/hash.h"

namespace weir::models::kafka::classic {
namespace {

// An entry on disk: [u32 body length][u64 checksum of body][body], body =
// [i32 leader epoch][i64 timestamp][key][value][u32 header count][headers],
// strings as [u32 length][bytes].
constexpr std::size_t kFrameHeaderBytes = 4 + 8;

// Word at a time: the flusher checksums every byte it writes, so this must
// be cheap; it only has to catch torn writes and flipped bytes. Fed in
// pieces (an entry's value is shared, not copied next to its framing), it
// sums exactly what one call over the whole body would.
class Checksum {
 public:
  explicit Checksum(std::size_t body_size) : h_(0x636c6173'7369636bULL ^ body_size) {}

  void add(std::string_view bytes) {
    while (!bytes.empty()) {
      if (pending_size_ == 0 && bytes.size() >= 8) {
        mix(bytes.data());
        bytes.remove_prefix(8);
        continue;
      }
      const std::size_t taken = std::min(bytes.size(), 8 - pending_size_);
      std::memcpy(pending_ + pending_size_, bytes.data(), taken);
      pending_size_ += taken;
      bytes.remove_prefix(taken);
      if (pending_size_ == 8) {
        mix(pending_);
        pending_size_ = 0;
      }
    }
  }

  std::uint64_t sum() const {
    std::uint64_t tail = 0;
    std::memcpy(&tail, pending_, pending_size_);
    return sim::mix64(h_ ^ tail);
  }

 private:
  void mix(const char* eight_bytes) {
    std::uint64_t word = 0;
    std::memcpy(&word, eight_bytes, 8);
    h_ = (h_ ^ word) * 0x9e3779b97f4a7c15ULL;
    h_ ^= h_ >> 29;
  }

  std::uint64_t h_;
  char pending_[8] = {};
  std::size_t pending_size_ = 0;
};

std::uint64_t checksum(std::string_view body) {
  Checksum sum(body.size());
  sum.add(body);
  return sum.sum();
}

std::size_t encoded_size(const LogEntry& entry) {
  std::size_t size = kFrameHeaderBytes + 4 + 8 + 4 + entry.record.key.size() + 4 + entry.record.value.size() + 4;
  for (const RecordHeader& h : entry.record.headers) size += 8 + h.key.size() + h.value.size();
  return size;
}

// The body around the value: what goes before it (epoch, timestamp, key,
// value length) and after it (the headers), in `before` and `after`.
void encode_framing(const LogEntry& entry, std::string& before, std::string& after) {
  before.clear();
  after.clear();
  ByteWriter b(before);
  b.i32(entry.leader_epoch);
  b.i64(entry.record.timestamp_ms);
  b.bytes(entry.record.key);
  b.u32(static_cast<std::uint32_t>(entry.record.value.size()));
  ByteWriter a(after);
  a.u32(static_cast<std::uint32_t>(entry.record.headers.size()));
  for (const RecordHeader& h : entry.record.headers) {
    a.bytes(h.key);
    a.bytes(h.value);
  }
}

// Appends the entry's frame to `out`; the value is referred to, not copied.
void encode_entry(const LogEntry& entry, sim::ChunkedBytes& out) {
  // Scratch reused across entries (the flusher encodes every record).
  thread_local std::string before;
  thread_local std::string after;
  encode_framing(entry, before, after);
  const std::size_t body_size = before.size() + entry.record.value.size() + after.size();
  Checksum sum(body_size);
  sum.add(before);
  sum.add(entry.record.value.view());
  sum.add(after);
  const auto length = static_cast<std::uint32_t>(body_size);
  const std::uint64_t checksum = sum.sum();
  char header[kFrameHeaderBytes];
  std::memcpy(header, &length, sizeof length);
  std::memcpy(header + sizeof length, &checksum, sizeof checksum);
  out.append(std::string_view(header, sizeof header));
  out.append(before);
  out.append_shared(entry.record.value);
  out.append(after);
}

// Decodes the entry at the reader's position; nothing if torn or corrupt.
std::optional<LogEntry> decode_entry(std::string_view file, ByteReader& r) {
  std::uint32_t length = 0;
  std::uint64_t sum = 0;
  if (!r.u32(length) || !r.u64(sum) || length > r.remaining()) return std::nullopt;
  const std::string_view body = file.substr(r.position(), length);
  if (checksum(body) != sum) return std::nullopt;
  ByteReader b(body);
  LogEntry entry;
  std::uint32_t headers = 0;
  std::string value;
  if (!b.i32(entry.leader_epoch) || !b.i64(entry.record.timestamp_ms) || !b.bytes(entry.record.key) ||
      !b.bytes(value) || !b.u32(headers) || headers > b.remaining() / 8) {
    return std::nullopt;
  }
  entry.record.value = std::move(value);
  entry.record.headers.resize(headers);
  for (RecordHeader& h : entry.record.headers) {
    if (!b.bytes(h.key) || !b.bytes(h.value)) return std::nullopt;
  }
  if (b.remaining() != 0) return std::nullopt;
  r.skip(length);
  return entry;
}

}  // namespace

PartitionLog::PartitionLog(std::uint64_t segment_bytes)
    : segment_bytes_(segment_bytes), segments_{LogSegment{}} {}

void PartitionLog::append(Record record, std::int32_t leader_epoch, sim::Time now) {
  // The leader epoch cache only grows: a record of an older epoch than the
  // newest one known would need a truncation first.
  WEIR_ASSERT(epochs_.empty() || leader_epoch >= epochs_.back().first,
              "append at offset {} with leader epoch {} after epoch {}", end_offset(), leader_epoch,
              epochs_.back().first);
  note_epoch(leader_epoch, end_offset());
  entries_.push_back(LogEntry{std::move(record), leader_epoch, 0});
  const std::size_t size = encoded_size(entries_.back());
  if (segments_.back().bytes > 0 && segments_.back().bytes + size > segment_bytes_) {
    segments_.push_back(LogSegment{end_offset() - 1, 0, 0, now});  // roll
  }
  LogSegment& active = segments_.back();
  active.bytes += size;
  active.newest_append = std::max(active.newest_append, now);
}

void PartitionLog::note_epoch(std::int32_t epoch, std::int64_t offset) {
  if (epochs_.empty() || epoch > epochs_.back().first) assign_epoch(epoch, offset);
}

void PartitionLog::owe_cut(std::int64_t base, std::optional<std::uint64_t> size) {
  auto [it, fresh] = cuts_.try_emplace(base, size);
  if (fresh) return;
  if (!size || !it->second) {
    it->second.reset();  // a removal wins
  } else {
    it->second = std::min(*it->second, *size);
  }
}

std::int64_t PartitionLog::truncate_to(std::int64_t offset) {
  offset = std::max<std::int64_t>(offset, 0);
  if (offset < start_) {
    const auto dropped = static_cast<std::int64_t>(entries_.size());
    truncate_fully_and_start_at(offset);
    return dropped;
  }
  if (offset > end_offset()) return 0;
  // Epochs starting at or past the cut go, even record-less ones at the end.
  std::erase_if(epochs_, [offset](const auto& e) { return e.second >= offset; });
  if (offset == end_offset()) return 0;
  const std::int64_t dropped = end_offset() - offset;
  // Like Kafka, the segments starting above the cut go and the one holding it
  // is cut (it becomes the active segment, perhaps empty).
  std::int64_t kept_end = end_offset();
  while (segments_.back().base_offset > offset) {
    const LogSegment& gone = segments_.back();
    kept_end = gone.base_offset;
    if (gone.base_offset < written_ || cuts_.contains(gone.base_offset)) owe_cut(gone.base_offset, std::nullopt);
    segments_.pop_back();
  }
  LogSegment& kept = segments_.back();
  if (offset < written_) {
    const std::uint64_t position = at(offset).file_position;
    owe_cut(kept.base_offset, position);
    written_ = offset;
    kept.file_bytes = position;
  }
  for (std::int64_t o = offset; o < kept_end; ++o) kept.bytes -= encoded_size(at(o));
  entries_.erase(entries_.begin() + (offset - start_), entries_.end());
  WEIR_ASSERT(written_ <= end_offset(), "truncated to {}, yet {} records count as written", offset, written_);
  WEIR_ASSERT(epochs_.empty() || epochs_.back().second <= end_offset(),
              "truncated to {}, yet epoch {} starts at {}", offset, epochs_.back().first, epochs_.back().second);
  return dropped;
}

void PartitionLog::truncate_fully_and_start_at(std::int64_t offset) {
  for (const LogSegment& s : segments_) {
    if (s.base_offset < written_ || cuts_.contains(s.base_offset)) owe_cut(s.base_offset, std::nullopt);
  }
  entries_.clear();
  epochs_.clear();
  start_ = offset;
  written_ = offset;
  segments_.assign(1, LogSegment{offset, 0, 0, {}});
}

std::size_t PartitionLog::delete_segments_older_than(sim::Time cutoff, std::int64_t limit) {
  std::size_t n = 0;
  while (n + 1 < segments_.size() && segments_[n + 1].base_offset <= limit && segments_[n].newest_append < cutoff) ++n;
  if (n == 0) return 0;
  for (std::size_t i = 0; i < n; ++i) {
    const LogSegment& s = segments_[i];
    if (s.base_offset < written_ || cuts_.contains(s.base_offset)) owe_cut(s.base_offset, std::nullopt);
  }
  const std::int64_t new_start = segments_[n].base_offset;
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(n));
  entries_.erase(entries_.begin(), entries_.begin() + (new_start - start_));
  start_ = new_start;
  written_ = std::max(written_, new_start);
  // Kafka's LeaderEpochFileCache.truncateFromStart: the epochs starting at or
  // below the new start go, the last of them kept as starting there.
  std::optional<std::int32_t> covering;
  while (!epochs_.empty() && epochs_.front().second <= new_start) {
    covering = epochs_.front().first;
    epochs_.erase(epochs_.begin());
  }
  if (covering) epochs_.insert(epochs_.begin(), {*covering, new_start});
  return n;
}

void PartitionLog::assign_epoch(std::int32_t epoch, std::int64_t start_offset) {
  if (!epochs_.empty() && epoch <= epochs_.back().first) return;
  // Like Kafka, an epoch that never got a record is superseded by a newer one
  // starting at the same offset.
  std::erase_if(epochs_, [start_offset](const auto& e) { return e.second >= start_offset; });
  WEIR_ASSERT(start_offset <= end_offset(), "epoch {} starts at {}, past the log end {}", epoch, start_offset,
              end_offset());
  epochs_.emplace_back(epoch, start_offset);
}

EpochEndOffset PartitionLog::end_offset_for_epoch(std::int32_t epoch) const {
  if (epoch < 0 || epochs_.empty()) return {};
  if (epochs_.back().first == epoch) return {epoch, end_offset()};
  const auto higher = std::upper_bound(epochs_.begin(), epochs_.end(), epoch,
                                       [](std::int32_t e, const auto& entry) { return e < entry.first; });
  if (higher == epochs_.end()) return {};  // newer than anything known
  if (higher == epochs_.begin()) return {epoch, higher->second};
  return {std::prev(higher)->first, higher->second};
}

std::vector<PartitionLog::Unwritten> PartitionLog::take_unwritten() {
  WEIR_ASSERT(written_ <= end_offset(), "{} records written, past the log end {}", written_, end_offset());
  std::vector<Unwritten> chunks;
  if (written_ == end_offset()) return chunks;
  auto seg = std::upper_bound(segments_.begin(), segments_.end(), written_,
                              [](std::int64_t o, const LogSegment& s) { return o < s.base_offset; });
  for (--seg; seg != segments_.end(); ++seg) {
    const std::int64_t first = std::max(written_, seg->base_offset);
    const std::int64_t last = std::next(seg) == segments_.end() ? end_offset() : std::next(seg)->base_offset;
    if (first >= last) continue;
    Unwritten& u = chunks.emplace_back(Unwritten{seg->base_offset, first, seg->file_bytes, {}});
    for (std::int64_t o = first; o < last; ++o) {
      LogEntry& e = entries_[static_cast<std::size_t>(o - start_)];
      e.file_position = seg->file_bytes + u.bytes.size();
      encode_entry(e, u.bytes);
    }
    seg->file_bytes += u.bytes.size();
  }
  written_ = end_offset();
  return chunks;
}

void PartitionLog::write_failed(const Unwritten& u) {
  if (written_ <= u.first) return;  // a truncation already rewound past it
  written_ = std::max(u.first, start_);
  // This chunk's segment is back to where the chunk would have landed; the
  // later ones got their first bytes in the same take.
  for (LogSegment& s : segments_) {
    if (s.base_offset == u.base) s.file_bytes = u.position;
    if (s.base_offset > u.base) s.file_bytes = 0;
  }
}

std::optional<PartitionLog::FileCut> PartitionLog::take_file_cut() {
  if (cuts_.empty()) return std::nullopt;
  const auto first = cuts_.begin();
  FileCut cut{first->first, first->second};
  cuts_.erase(first);
  return cut;
}

std::vector<std::pair<std::int64_t, sim::ChunkedBytes>> PartitionLog::take_whole_files() {
  cuts_.clear();
  written_ = start_;
  for (LogSegment& s : segments_) s.file_bytes = 0;
  std::vector<std::pair<std::int64_t, sim::ChunkedBytes>> files;
  for (const LogSegment& s : segments_) files.emplace_back(s.base_offset, sim::ChunkedBytes());
  for (Unwritten& u : take_unwritten()) {
    for (auto& [base, bytes] : files) {
      if (base == u.base) bytes = std::move(u.bytes);
    }
  }
  return files;
}

PartitionLog::Recovery PartitionLog::recover(const std::vector<std::pair<std::int64_t, std::string_view>>& files,
                                             sim::Time now) {
  WEIR_ASSERT(entries_.empty() && start_ == 0, "recovery into a log that is not empty");
  Recovery out;
  for (const auto& [base, file] : files) {
    if (out.files_kept == 0) {
      start_ = base;
      segments_.assign(1, LogSegment{base, 0, 0, now});
    } else if (base != end_offset()) {
      break;  // a gap or an overlap: the log ends before this file
    } else {
      segments_.push_back(LogSegment{base, 0, 0, now});
    }
    // The records carry no append time: the recovery time stands for it, as
    // Kafka falls back to a segment file's modification time.
    LogSegment& seg = segments_.back();
    ByteReader r(file);
    std::uint64_t valid = 0;
    while (r.remaining() >= kFrameHeaderBytes) {
      auto entry = decode_entry(file, r);
      if (!entry || (!epochs_.empty() && entry->leader_epoch < epochs_.back().first)) break;
      note_epoch(entry->leader_epoch, end_offset());
      entry->file_position = valid;
      seg.bytes += encoded_size(*entry);
      entries_.push_back(std::move(*entry));
      valid = r.position();
    }
    seg.file_bytes = valid;
    ++out.files_kept;
    out.last_valid_bytes = valid;
    if (valid < file.size()) break;  // a torn or corrupt tail ends the log
  }
  written_ = end_offset();
  return out;
}

}  // namespace weir::models::kafka::classic
