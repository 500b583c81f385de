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
// be cheap; it only has to catch torn writes and flipped bytes.
std::uint64_t checksum(std::string_view body) {
  std::uint64_t h = 0x636c6173'7369636bULL ^ body.size();
  std::size_t i = 0;
  for (; i + 8 <= body.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, body.data() + i, 8);
    h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, body.data() + i, body.size() - i);
  return sim::mix64(h ^ tail);
}

std::size_t encoded_size(const LogEntry& entry) {
  std::size_t size = kFrameHeaderBytes + 4 + 8 + 4 + entry.record.key.size() + 4 + entry.record.value.size() + 4;
  for (const RecordHeader& h : entry.record.headers) size += 8 + h.key.size() + h.value.size();
  return size;
}

void encode_entry(const LogEntry& entry, std::string& out) {
  // The body is written in place, then the header is patched: no temporary
  // buffer per record.
  const std::size_t header_at = out.size();
  out.append(kFrameHeaderBytes, '\0');
  ByteWriter w(out);
  w.i32(entry.leader_epoch);
  w.i64(entry.record.timestamp_ms);
  w.bytes(entry.record.key);
  w.bytes(entry.record.value);
  w.u32(static_cast<std::uint32_t>(entry.record.headers.size()));
  for (const RecordHeader& h : entry.record.headers) {
    w.bytes(h.key);
    w.bytes(h.value);
  }
  const std::size_t body_at = header_at + kFrameHeaderBytes;
  const auto length = static_cast<std::uint32_t>(out.size() - body_at);
  const std::uint64_t sum = checksum(std::string_view(out).substr(body_at));
  std::memcpy(out.data() + header_at, &length, sizeof length);
  std::memcpy(out.data() + header_at + sizeof length, &sum, sizeof sum);
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

void PartitionLog::append(Record record, std::int32_t leader_epoch) {
  // The leader epoch cache only grows: a record of an older epoch than the
  // newest one known would need a truncation first.
  WEIR_ASSERT(epochs_.empty() || leader_epoch >= epochs_.back().first,
              "append at offset {} with leader epoch {} after epoch {}", end_offset(), leader_epoch,
              epochs_.back().first);
  note_epoch(leader_epoch, end_offset());
  entries_.push_back(LogEntry{std::move(record), leader_epoch, 0});
}

void PartitionLog::note_epoch(std::int32_t epoch, std::int64_t offset) {
  if (epochs_.empty() || epoch > epochs_.back().first) assign_epoch(epoch, offset);
}

std::int64_t PartitionLog::truncate_to(std::int64_t offset) {
  offset = std::max<std::int64_t>(offset, 0);
  if (offset > end_offset()) return 0;
  // Epochs starting at or past the cut go, even record-less ones at the end.
  std::erase_if(epochs_, [offset](const auto& e) { return e.second >= offset; });
  if (offset == end_offset()) return 0;
  const std::int64_t dropped = end_offset() - offset;
  if (offset < written_) {
    const std::uint64_t position = at(offset).file_position;
    pending_truncate_ = std::min(pending_truncate_.value_or(position), position);
    written_ = offset;
    file_bytes_ = position;
  }
  entries_.erase(entries_.begin() + offset, entries_.end());
  WEIR_ASSERT(written_ <= end_offset(), "truncated to {}, yet {} records count as written", offset, written_);
  WEIR_ASSERT(epochs_.empty() || epochs_.back().second <= end_offset(),
              "truncated to {}, yet epoch {} starts at {}", offset, epochs_.back().first, epochs_.back().second);
  return dropped;
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

PartitionLog::Unwritten PartitionLog::take_unwritten() {
  WEIR_ASSERT(written_ <= end_offset(), "{} records written, past the log end {}", written_, end_offset());
  Unwritten u{{}, written_, file_bytes_};
  std::size_t size = 0;
  for (auto i = static_cast<std::size_t>(written_); i < entries_.size(); ++i) size += encoded_size(entries_[i]);
  u.bytes.reserve(size);
  for (auto i = static_cast<std::size_t>(written_); i < entries_.size(); ++i) {
    entries_[i].file_position = file_bytes_ + u.bytes.size();
    encode_entry(entries_[i], u.bytes);
  }
  written_ = end_offset();
  file_bytes_ += u.bytes.size();
  return u;
}

void PartitionLog::write_failed(const Unwritten& u) {
  if (written_ <= u.first) return;  // a truncation already rewound past it
  written_ = u.first;
  file_bytes_ = u.position;
}

std::string PartitionLog::take_whole_file() {
  written_ = 0;
  file_bytes_ = 0;
  pending_truncate_.reset();
  return take_unwritten().bytes;
}

std::optional<std::uint64_t> PartitionLog::take_pending_truncate() {
  auto p = pending_truncate_;
  pending_truncate_.reset();
  return p;
}

std::uint64_t PartitionLog::recover(std::string_view file) {
  ByteReader r(file);
  std::uint64_t valid = 0;
  while (r.remaining() >= kFrameHeaderBytes) {
    auto entry = decode_entry(file, r);
    if (!entry) break;
    const std::int32_t epoch = entry->leader_epoch;
    append(std::move(entry->record), epoch);
    entries_.back().file_position = valid;
    valid = r.position();
  }
  written_ = end_offset();
  file_bytes_ = valid;
  return valid;
}

}  // namespace weir::models::kafka::classic
