// PartitionLog: one replica's log of one partition: its records in offset
// order, its leader-epoch cache, and the bookkeeping of its on-disk copy.
//
// Offsets are dense from 0 (no retention), so the log end offset (LEO) is the
// number of records. The leader-epoch cache maps each epoch to the offset of
// its first record, as Kafka's LeaderEpochFileCache does (KIP-101/KIP-279):
// it answers "where does epoch E end?" for follower truncation.
//
// The in-memory log plays the page cache: appends land here at once, and a
// flusher later hands the new entries to the node's Disk and fsyncs them.
// Truncating entries that were already handed to the disk leaves a pending
// file truncation for the flusher. Owned by its Replica; not thread-aware (one
// simulation thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "weir/models/kafka/protocol.h"

namespace weir::models::kafka::classic {

struct LogEntry {
  Record record;
  std::int32_t leader_epoch = 0;
  std::uint64_t file_position = 0;  // where its bytes start in the file, once written
};

struct EpochEndOffset {
  std::int32_t epoch = -1;        // -1: undefined
  std::int64_t end_offset = -1;   // -1: undefined
};

class PartitionLog {
 public:
  std::int64_t start_offset() const { return 0; }
  std::int64_t end_offset() const { return static_cast<std::int64_t>(entries_.size()); }
  const LogEntry& at(std::int64_t offset) const { return entries_[static_cast<std::size_t>(offset)]; }

  void append(Record record, std::int32_t leader_epoch);
  // Drops every entry at or above `offset`; returns how many were dropped.
  std::int64_t truncate_to(std::int64_t offset);

  // ---- Leader-epoch cache.
  std::int32_t latest_epoch() const { return epochs_.empty() ? -1 : epochs_.back().first; }
  // A new leader records that its epoch starts at its log end.
  void assign_epoch(std::int32_t epoch, std::int64_t start_offset);
  // Kafka's endOffsetFor: the largest epoch <= `epoch` this log knows and the
  // offset where it ends (the start of the next epoch, or the LEO).
  EpochEndOffset end_offset_for_epoch(std::int32_t epoch) const;

  // ---- The on-disk copy (one flusher at a time).
  struct Unwritten {
    std::string bytes;
    std::int64_t first = 0;
    std::uint64_t position = 0;
  };
  // Encodes the entries not yet handed to the disk and marks them written.
  Unwritten take_unwritten();
  bool has_unwritten() const { return written_ < end_offset(); }
  // The log end offset of what was handed to the disk.
  std::int64_t written_end() const { return written_; }
  // The append of `u` failed: its entries are unwritten again.
  void write_failed(const Unwritten& u);
  // Encodes every entry, as the whole file must hold them, and marks them
  // written with nothing left to truncate: for a write that replaces the
  // file, whatever writes and truncations the flusher has under way.
  std::string take_whole_file();
  // The size to cut the file to, when a truncation dropped written entries.
  std::optional<std::uint64_t> take_pending_truncate();
  // Rebuilds an empty log from a file; returns the length of its valid prefix
  // (whole entries with good checksums; a torn or corrupt tail is ignored).
  std::uint64_t recover(std::string_view file);

 private:
  void note_epoch(std::int32_t epoch, std::int64_t offset);

  std::vector<LogEntry> entries_;
  std::vector<std::pair<std::int32_t, std::int64_t>> epochs_;  // (epoch, start offset), ascending
  std::int64_t written_ = 0;      // entries [0, written_) were handed to the disk
  std::uint64_t file_bytes_ = 0;  // the file's size once those writes land
  std::optional<std::uint64_t> pending_truncate_;
};

}  // namespace weir::models::kafka::classic
