// PartitionLog: one replica's log of one partition: its records in offset
// order, cut into segments, its leader-epoch cache, and the bookkeeping of its
// on-disk copy (one file per segment).
//
// Contract:
// - Offsets are dense in [start_offset(), end_offset()). The start offset is
//   0 until retention deletes the oldest segments (or a follower restarts the
//   log at its leader's start); at(offset) needs start <= offset < end.
// - The log is a sequence of segments, each holding the records from its base
//   offset to the next segment's. Only the last one (the active segment) takes
//   appends; it rolls to a new one at the log end when a record would take it
//   past segment_bytes of encoded entries (Kafka's log.segment.bytes). There
//   is always at least one segment, possibly empty.
// - The leader-epoch cache maps each epoch to the offset of its first record,
//   as Kafka's LeaderEpochFileCache does (KIP-101/KIP-279): it answers "where
//   does epoch E end?" for follower truncation.
// - The in-memory log plays the page cache: appends land here at once, and a
//   flusher later takes each segment's new bytes for that segment's file and
//   fsyncs them. Truncating written entries or deleting written segments
//   leaves file cuts (truncations and removals) for the flusher, which must
//   apply them before it writes again.
// Owned by its Replica; not thread-aware (one simulation thread).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "weir/models/kafka/protocol.h"
#include "weir/sim/chunked_bytes.h"
#include "weir/sim/time.h"

namespace weir::models::kafka::classic {

struct LogEntry {
  Record record;
  std::int32_t leader_epoch = 0;
  std::uint64_t file_position = 0;  // where its bytes start in its segment's file, once written
};

struct EpochEndOffset {
  std::int32_t epoch = -1;        // -1: undefined
  std::int64_t end_offset = -1;   // -1: undefined
};

struct LogSegment {
  std::int64_t base_offset = 0;
  std::uint64_t bytes = 0;       // encoded size of its entries
  std::uint64_t file_bytes = 0;  // its file's size once the writes handed to the disk land
  sim::Time newest_append;       // the latest append time of its records (Kafka's largest timestamp)
};

class PartitionLog {
 public:
  // Kafka's log.segment.bytes default: 1 GiB.
  static constexpr std::uint64_t kDefaultSegmentBytes = std::uint64_t{1} << 30;

  explicit PartitionLog(std::uint64_t segment_bytes = kDefaultSegmentBytes);

  std::int64_t start_offset() const { return start_; }
  std::int64_t end_offset() const { return start_ + static_cast<std::int64_t>(entries_.size()); }
  const LogEntry& at(std::int64_t offset) const { return entries_[static_cast<std::size_t>(offset - start_)]; }
  const std::vector<LogSegment>& segments() const { return segments_; }

  // Appends at the log end; `now` is the record's append time.
  void append(Record record, std::int32_t leader_epoch, sim::Time now);
  // Drops every entry at or above `offset`, with the segments that start
  // above it; returns how many entries were dropped. Below the start offset
  // it empties the log and restarts it there.
  std::int64_t truncate_to(std::int64_t offset);
  // Kafka's truncateFullyAndStartAt: drops every entry and segment and starts
  // an empty log at `offset` (a follower behind its leader's log start).
  void truncate_fully_and_start_at(std::int64_t offset);

  // ---- Retention.
  // Deletes the oldest closed segments (never the active one), in order and
  // stopping at the first to keep, that lie wholly below `limit` (the high
  // watermark) and whose newest record was appended before `cutoff`. The log
  // start moves to the first remaining segment's base offset; the epoch cache
  // forgets the epochs wholly below it. Returns how many segments went.
  std::size_t delete_segments_older_than(sim::Time cutoff, std::int64_t limit);

  // ---- Leader-epoch cache.
  std::int32_t latest_epoch() const { return epochs_.empty() ? -1 : epochs_.back().first; }
  // A new leader records that its epoch starts at its log end.
  void assign_epoch(std::int32_t epoch, std::int64_t start_offset);
  // Kafka's endOffsetFor: the largest epoch <= `epoch` this log knows and the
  // offset where it ends (the start of the next epoch, or the LEO).
  EpochEndOffset end_offset_for_epoch(std::int32_t epoch) const;
  const std::vector<std::pair<std::int32_t, std::int64_t>>& epochs() const { return epochs_; }

  // ---- The on-disk copy (one flusher at a time).
  // New bytes for the file of the segment at `base`: entries from `first`,
  // landing at `position` of that file.
  struct Unwritten {
    std::int64_t base = 0;
    std::int64_t first = 0;
    std::uint64_t position = 0;
    sim::ChunkedBytes bytes;  // record values shared with the log, not copied
  };
  // A file change the flusher owes the disk: cut the segment file at `base`
  // to `size`, or remove it when `size` is nothing.
  struct FileCut {
    std::int64_t base = 0;
    std::optional<std::uint64_t> size;
  };
  // Encodes the entries not yet handed to the disk, one chunk per segment in
  // offset order, and marks them written.
  std::vector<Unwritten> take_unwritten();
  bool has_unwritten() const { return written_ < end_offset(); }
  // The log end offset of what was handed to the disk.
  std::int64_t written_end() const { return written_; }
  // The append of `u` failed: its entries and all later ones are unwritten
  // again.
  void write_failed(const Unwritten& u);
  // The oldest file cut owed, if any, now no longer owed.
  std::optional<FileCut> take_file_cut();
  // Encodes every segment whole, as the files must hold them, and marks all
  // written with no cut owed: for writes that replace the files, whatever
  // the flusher has under way.
  std::vector<std::pair<std::int64_t, sim::ChunkedBytes>> take_whole_files();

  // Rebuilds an empty log from segment files in base-offset order. A file
  // that does not start at the log end, or a torn or corrupt entry, ends the
  // log there (Kafka's log recovery). The answer: how many files are kept and
  // the valid length of the last one kept.
  struct Recovery {
    std::size_t files_kept = 0;
    std::uint64_t last_valid_bytes = 0;
  };
  Recovery recover(const std::vector<std::pair<std::int64_t, std::string_view>>& files, sim::Time now);

 private:
  void note_epoch(std::int32_t epoch, std::int64_t offset);
  // A segment's file is cut to `size` (nothing: removed) before the next write.
  void owe_cut(std::int64_t base, std::optional<std::uint64_t> size);

  std::uint64_t segment_bytes_;
  std::int64_t start_ = 0;
  std::deque<LogEntry> entries_;           // [start_, end)
  std::vector<LogSegment> segments_;       // ascending base offsets; never empty
  std::vector<std::pair<std::int32_t, std::int64_t>> epochs_;  // (epoch, start offset), ascending
  std::int64_t written_ = 0;               // entries [start_, written_) were handed to the disk
  std::map<std::int64_t, std::optional<std::uint64_t>> cuts_;  // owed file cuts by segment base
};

}  // namespace weir::models::kafka::classic
