#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "byte_io.h"
#include "crc32c.h"
#include "weir/models/mimir/wal_reader.h"
#include "weir/models/mimir/wal_record.h"

namespace weir::models::mimir {
namespace {

constexpr std::uint8_t kKindSamples = 2;
constexpr std::uint8_t kLabelsFollow = 1;
constexpr std::uint8_t kLabelsLogged = 0;
constexpr std::size_t kMinSeriesBytes = 8 + 1 + 1;
constexpr std::size_t kSampleBytes = 16;

void write_payload(const WalRecord& record, detail::ByteWriter& w, const LoggedSeries* logged) {
  w.u8(kKindSamples);
  w.i64(record.offset);
  w.bytes(record.tenant);
  w.varint(record.series.size());
  for (const WalSeries& s : record.series) {
    w.u64(s.id);
    if (logged != nullptr && logged->contains(s.id)) {
      w.u8(kLabelsLogged);
    } else {
      w.u8(kLabelsFollow);
      detail::write_labels(w, s.labels);
    }
    w.varint(s.samples.size());
    for (const Sample& x : s.samples) {
      w.i64(x.timestamp_ms);
      w.f64(x.value);
    }
  }
}

// Reads a series' labels, or finds them among those its segment logged.
bool read_series_labels(detail::ByteReader& r, WalSeries& s, std::unordered_map<SeriesId, Labels>& logged) {
  std::uint8_t flag = 0;
  if (!r.u8(flag)) return false;
  if (flag == kLabelsFollow) {
    if (!detail::read_labels(r, s.labels)) return false;
    logged[s.id] = s.labels;
    return true;
  }
  if (flag != kLabelsLogged) return false;
  const auto it = logged.find(s.id);
  if (it == logged.end()) return false;  // a reference to a series this segment never logged
  s.labels = it->second;
  return true;
}

bool read_series(detail::ByteReader& r, WalSeries& s, std::unordered_map<SeriesId, Labels>& logged) {
  std::uint64_t samples = 0;
  if (!r.u64(s.id) || !read_series_labels(r, s, logged)) return false;
  if (!r.count(samples, kSampleBytes)) return false;
  s.samples.resize(static_cast<std::size_t>(samples));
  for (Sample& x : s.samples) {
    if (!r.i64(x.timestamp_ms) || !r.f64(x.value)) return false;
  }
  return true;
}

bool read_payload(std::string_view payload, WalRecord& out, std::unordered_map<SeriesId, Labels>& logged) {
  detail::ByteReader r(payload);
  std::uint8_t kind = 0;
  std::uint64_t series = 0;
  if (!r.u8(kind) || kind != kKindSamples || !r.i64(out.offset) || !r.bytes(out.tenant) ||
      !r.count(series, kMinSeriesBytes)) {
    return false;
  }
  out.series.resize(static_cast<std::size_t>(series));
  for (WalSeries& s : out.series) {
    if (!read_series(r, s, logged)) return false;
  }
  return r.at_end();
}

}  // namespace

void append_wal_frame(const WalRecord& record, std::string& out, const LoggedSeries* logged) {
  const std::size_t frame_start = out.size();
  out.append(kWalFrameHeaderBytes, '\0');
  detail::ByteWriter w(out);
  write_payload(record, w, logged);
  const std::size_t payload_bytes = out.size() - frame_start - kWalFrameHeaderBytes;
  if (payload_bytes > kMaxWalPayloadBytes) {
    out.resize(frame_start);
    throw std::length_error("WAL record over kMaxWalPayloadBytes");
  }
  const std::string_view payload(out.data() + frame_start + kWalFrameHeaderBytes, payload_bytes);
  const std::uint32_t crc = detail::crc32c(payload);
  const auto length = static_cast<std::uint32_t>(payload_bytes);
  for (int i = 0; i < 4; ++i) {
    out[frame_start + static_cast<std::size_t>(i)] = static_cast<char>((length >> (8 * i)) & 0xffU);
    out[frame_start + 4 + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xffU);
  }
}

const char* to_string(WalTail tail) {
  switch (tail) {
    case WalTail::clean: return "clean";
    case WalTail::truncated: return "truncated";
    case WalTail::corrupt: return "corrupt";
  }
  return "unknown";
}

bool WalReader::stop(WalTail tail, std::string error) {
  stopped_ = true;
  tail_ = tail;
  tail_error_ = std::move(error);
  return false;
}

bool WalReader::next(WalRecord& out) {
  if (stopped_) return false;
  const std::string_view rest = bytes_.substr(position_);
  if (rest.empty()) return stop(WalTail::clean, {});
  if (rest.size() < kWalFrameHeaderBytes) {
    return stop(WalTail::truncated, fmt::format("wal: {} bytes at offset {}: torn frame header", rest.size(), position_));
  }
  detail::ByteReader header(rest.substr(0, kWalFrameHeaderBytes));
  std::uint32_t length = 0;
  std::uint32_t crc = 0;
  (void)header.u32(length);
  (void)header.u32(crc);
  if (length > kMaxWalPayloadBytes) {
    return stop(WalTail::corrupt, fmt::format("wal: frame at offset {} announces {} bytes", position_, length));
  }
  if (rest.size() - kWalFrameHeaderBytes < length) {
    return stop(WalTail::truncated, fmt::format("wal: frame at offset {} announces {} bytes, {} present", position_,
                                                length, rest.size() - kWalFrameHeaderBytes));
  }
  const std::string_view payload = rest.substr(kWalFrameHeaderBytes, length);
  if (detail::crc32c(payload) != crc) {
    return stop(WalTail::corrupt, fmt::format("wal: frame at offset {}: checksum mismatch", position_));
  }
  // Labels a bad frame logged must not serve a later read: replay stops here.
  if (!read_payload(payload, out, logged_)) {
    return stop(WalTail::corrupt, fmt::format("wal: frame at offset {}: malformed payload", position_));
  }
  position_ += kWalFrameHeaderBytes + length;
  return true;
}

std::optional<WalRecord> WalReader::next() {
  WalRecord record;
  if (!next(record)) return std::nullopt;
  return record;
}

}  // namespace weir::models::mimir
