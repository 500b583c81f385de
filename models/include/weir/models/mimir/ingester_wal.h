// IngesterWal: an ingester's write-ahead log on its node's Disk, as numbered
// segment files "wal/00000000", "wal/00000001"... (Prometheus' WAL layout,
// with weir's frames of wal_record.h).
//
// Appends go to the active (highest) segment; a segment is closed when it
// would exceed the maximum size, or on rotate(). sync() fsyncs the segments
// with unsynced bytes in order and stops at the first failure, so what is
// durable is always a prefix of the log. replay() reads the segments in
// order; at the first bad frame (a torn tail, or corruption) it truncates
// that segment there and deletes every later one, as Prometheus' WAL repair
// does, fsyncs the cut (a crash must not bring the bad frame back, or the next
// replay would stop there again and delete everything appended since), then
// starts a fresh segment for new appends.
//
// Truncation: for each segment the WAL remembers, per tenant, the newest
// sample timestamp it holds. drop_covered() deletes the closed segments whose
// samples all lie below their tenant's newest durable block on the local
// disk (LocalBlocks::durable_boundaries()), so the WAL keeps exactly what is
// not yet in fsynced blocks. weir rotates the
// active segment at each block cut, so a segment closes at every cut and is
// deleted at a later one (or at the same one, for small segments).
//
// Contract: blocking calls run in fibers of the owning node; the Disk is the
// node's and outlives this object, which is volatile (rebuilt by replay()).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "weir/models/mimir/wal_reader.h"
#include "weir/models/mimir/wal_record.h"
#include "weir/sim/disk.h"

namespace weir::models::mimir {

struct WalReplayStats {
  std::uint64_t records = 0;
  std::uint64_t segments = 0;
  std::uint64_t torn_tails = 0;        // a segment ended inside a frame
  std::uint64_t corrupt_frames = 0;    // a whole frame failed its checks
  std::uint64_t dropped_segments = 0;  // deleted after a bad frame
};

class IngesterWal {
 public:
  IngesterWal(sim::Disk& disk, std::uint64_t segment_max_bytes);

  // Replays every segment in order into `apply`. Call once, before appending.
  WalReplayStats replay(const std::function<void(const WalRecord&)>& apply);
  // Appends one frame to the active segment.
  sim::DiskStatus append(const WalRecord& record);
  // fsyncs every segment with unsynced bytes, oldest first; false at the first failure.
  bool sync();
  // The newest segment the last successful sync() covered; -1 before any.
  std::int64_t synced_through() const { return synced_through_; }
  // The next append starts a new segment.
  void rotate();
  // Deletes the closed segments wholly below `boundaries`; returns how many.
  std::size_t drop_covered(const std::map<std::string, TimestampMs>& boundaries);

  std::size_t segment_count() const { return segments_.size(); }
  std::vector<std::string> segment_paths() const;
  static std::string segment_path(std::uint64_t index);

 private:
  struct Segment {
    std::uint64_t index = 0;
    std::map<std::string, TimestampMs> newest_by_tenant;
    bool repair_pending = false;  // cut at replay, the cut not yet fsynced
  };

  void replay_segment(std::size_t position, const std::string& path, WalReplayStats& stats,
                      const std::function<void(const WalRecord&)>& apply, bool& stop);
  static void note(Segment& segment, const WalRecord& record);
  void clear_repair(std::uint64_t index);
  Segment& active();

  sim::Disk& disk_;
  std::uint64_t segment_max_bytes_;
  std::vector<Segment> segments_;  // ascending index; the last is the active one
  bool rotate_pending_ = true;     // no active segment yet
  std::uint64_t next_index_ = 0;
  std::int64_t synced_through_ = -1;
  WalWriter writer_;
};

}  // namespace weir::models::mimir
