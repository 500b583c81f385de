// WalRecord: what an ingester logs to its write-ahead log for each Kafka
// record it applies: the record's offset, the tenant, and the series with
// the samples appended from it. Replaying the WAL after a crash rebuilds the
// head and tells the ingester the last offset it had applied.
//
// On disk each record is one frame: a 4-byte little-endian payload length, a
// 4-byte CRC-32C of the payload, then the payload (kind byte 1, offset,
// tenant, series: id, labels, samples as raw timestamp and value bits).
// The same framing as Prometheus' WAL pages in spirit (length + CRC-32C), in a
// simpler layout: a frame is written with one disk write, and a torn write
// leaves an incomplete or mismatching last frame that WalReader detects.
//
// Contract: append_wal_frame appends to a caller-owned buffer (reusable, so
// steady-state encoding does not allocate); WalWriter wraps such a buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// Appends the frame of `record` to `out`. Throws std::length_error if the
// payload would exceed kMaxWalPayloadBytes.
void append_wal_frame(const WalRecord& record, std::string& out);

// Encodes frames into one reused buffer.
class WalWriter {
 public:
  // The frame of `record`, valid until the next call.
  std::string_view encode(const WalRecord& record) {
    buffer_.clear();
    append_wal_frame(record, buffer_);
    return buffer_;
  }

 private:
  std::string buffer_;
};

}  // namespace weir::models::mimir
