// WalRecord: what an ingester logs to its write-ahead log for each Kafka
// record it applies: the record's offset, the tenant, and the series with
// the samples appended from it. Replaying the WAL after a crash rebuilds the
// head and tells the ingester the last offset it had applied.
//
// On disk each record is one frame: a 4-byte little-endian payload length, a
// 4-byte CRC-32C of the payload, then the payload (kind byte 2, offset,
// tenant, series: id, a flag byte saying whether labels follow, the labels
// if so, samples as raw timestamp and value bits).
// The same framing as Prometheus' WAL pages in spirit (length + CRC-32C), in a
// simpler layout: a frame is written with one disk write, and a torn write
// leaves an incomplete or mismatching last frame that WalReader detects.
//
// Labels are logged once per segment, as Prometheus logs a series record once
// and then refers to the series by its reference: the first frame of a
// segment that holds a series carries its labels, later frames its id alone.
// A segment is read on its own from its start (WalReader), so deleting a
// closed segment never strands a reference, and a frame lost with an unsynced
// tail takes only later frames with it.
//
// Contract: append_wal_frame appends to a caller-owned buffer (reusable, so
// steady-state encoding does not allocate); WalWriter wraps such a buffer and
// the set of series its segment has logged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/mimir/series_index.h"
#include "weir/models/mimir/types.h"

namespace weir::models::mimir {

// A frame declaring a bigger payload is corrupt (records are at most ~16 MB).
inline constexpr std::uint32_t kMaxWalPayloadBytes = 256U << 20;
inline constexpr std::size_t kWalFrameHeaderBytes = 8;

struct WalSeries {
  SeriesId id = 0;
  Labels labels;
  std::vector<Sample> samples;
  bool operator==(const WalSeries&) const = default;
};

struct WalRecord {
  std::int64_t offset = -1;  // the Kafka offset of the record applied
  std::string tenant;
  std::vector<WalSeries> series;
  bool operator==(const WalRecord&) const = default;
};

// The series a segment holds the labels of: asked for every series of every
// frame, so a flat set.
class LoggedSeries {
 public:
  bool contains(SeriesId id) const { return index_.find(id).has_value(); }
  void insert(SeriesId id) {
    if (!contains(id)) index_.insert(id, 0);
  }
  void clear() { index_.clear(); }

 private:
  SeriesIndex index_;  // positions unused
};

// Appends the frame of `record` to `out`, with the labels of the series not
// in `logged` (of every series when it is null). Throws std::length_error if
// the payload would exceed kMaxWalPayloadBytes.
void append_wal_frame(const WalRecord& record, std::string& out, const LoggedSeries* logged = nullptr);

// Encodes the frames of one segment at a time into one reused buffer.
class WalWriter {
 public:
  // The frame of `record` for the current segment, valid until the next call.
  std::string_view encode(const WalRecord& record) {
    buffer_.clear();
    append_wal_frame(record, buffer_, &logged_);
    return buffer_;
  }
  // The last encoded frame is in the segment: its series' labels are logged.
  void landed(const WalRecord& record) {
    for (const WalSeries& series : record.series) logged_.insert(series.id);
  }
  // Frames from now on go to a new segment, which has logged nothing yet.
  void start_segment() { logged_.clear(); }

 private:
  std::string buffer_;
  LoggedSeries logged_;
};

}  // namespace weir::models::mimir
