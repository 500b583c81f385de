#include "weir/models/mimir/block.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "byte_io.h"
#include "crc32c.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {
namespace {

constexpr std::string_view kMagic = "WEIRBLK1";
// Smallest encodings, used to refuse counts the remaining bytes cannot hold.
constexpr std::size_t kMinSeriesBytes = 8 + 1 + 1;
constexpr std::size_t kMinSampleBytes = 9;

// Empty when the series fits the block's rules, else the problem.
std::string check_series(const BlockSeries& s, TimestampMs mint, TimestampMs maxt) {
  for (std::size_t i = 0; i < s.samples.size(); ++i) {
    const TimestampMs t = s.samples[i].timestamp_ms;
    if (t < mint || t >= maxt) return fmt::format("series {:016x}: sample at {} outside [{}, {})", s.id, t, mint, maxt);
    if (i > 0 && t <= s.samples[i - 1].timestamp_ms) {
      return fmt::format("series {:016x}: timestamps not strictly ascending at {}", s.id, t);
    }
  }
  return {};
}

void write_series(detail::ByteWriter& w, const BlockSeries& s) {
  w.u64(s.id);
  detail::write_labels(w, s.labels);
  w.varint(s.samples.size());
  TimestampMs prev = 0;
  for (std::size_t i = 0; i < s.samples.size(); ++i) {
    const Sample& x = s.samples[i];
    if (i == 0) {
      w.i64(x.timestamp_ms);
    } else {
      w.varint(static_cast<std::uint64_t>(x.timestamp_ms - prev));
    }
    prev = x.timestamp_ms;
    w.f64(x.value);
  }
}

bool read_series(detail::ByteReader& r, BlockSeries& s) {
  std::uint64_t sample_count = 0;
  if (!r.u64(s.id) || !detail::read_labels(r, s.labels)) return false;
  if (!r.count(sample_count, kMinSampleBytes)) return false;
  s.samples.resize(static_cast<std::size_t>(sample_count));
  for (std::size_t i = 0; i < s.samples.size(); ++i) {
    Sample& x = s.samples[i];
    if (i == 0) {
      if (!r.i64(x.timestamp_ms)) return false;
    } else {
      std::uint64_t delta = 0;
      if (!r.varint(delta) || delta == 0 || delta > static_cast<std::uint64_t>(INT64_MAX)) return false;
      x.timestamp_ms = static_cast<TimestampMs>(static_cast<std::uint64_t>(s.samples[i - 1].timestamp_ms) + delta);
    }
    if (!r.f64(x.value)) return false;
  }
  return true;
}

DecodeError block_error(std::string message) { return DecodeError{"block: " + message}; }

}  // namespace

Block::Block(TimestampMs min_time_ms, TimestampMs max_time_ms, std::vector<BlockSeries> series)
    : min_time_ms_(min_time_ms), max_time_ms_(max_time_ms), series_(std::move(series)) {
  if (max_time_ms_ <= min_time_ms_) throw std::invalid_argument("block: empty time range");
  std::sort(series_.begin(), series_.end(), [](const BlockSeries& a, const BlockSeries& b) { return a.id < b.id; });
  for (std::size_t i = 0; i < series_.size(); ++i) {
    if (i > 0 && series_[i].id == series_[i - 1].id) throw std::invalid_argument("block: duplicate series id");
    if (auto problem = check_series(series_[i], min_time_ms_, max_time_ms_); !problem.empty()) {
      throw std::invalid_argument("block: " + problem);
    }
  }
}

const BlockSeries* Block::find(SeriesId id) const {
  auto it = std::lower_bound(series_.begin(), series_.end(), id,
                             [](const BlockSeries& s, SeriesId v) { return s.id < v; });
  return it != series_.end() && it->id == id ? &*it : nullptr;
}

std::span<const Sample> Block::query(SeriesId id, TimestampMs mint, TimestampMs maxt) const {
  const BlockSeries* s = find(id);
  if (s == nullptr || maxt < mint) return {};
  auto lo = std::lower_bound(s->samples.begin(), s->samples.end(), mint,
                             [](const Sample& x, TimestampMs t) { return x.timestamp_ms < t; });
  auto hi = std::upper_bound(lo, s->samples.end(), maxt,
                             [](TimestampMs t, const Sample& x) { return t < x.timestamp_ms; });
  return {lo, hi};
}

std::uint64_t Block::sample_count() const {
  std::uint64_t n = 0;
  for (const BlockSeries& s : series_) n += s.samples.size();
  return n;
}

std::string Block::serialize() const {
  std::string out;
  out.reserve(64 + sample_count() * 10);
  out.append(kMagic);
  detail::ByteWriter w(out);
  w.i64(min_time_ms_);
  w.i64(max_time_ms_);
  w.varint(series_.size());
  for (const BlockSeries& s : series_) write_series(w, s);
  w.u32(detail::crc32c(out));
  return out;
}

DecodeResult<Block> Block::parse(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 4 || bytes.substr(0, kMagic.size()) != kMagic) {
    return block_error("not a weir block (bad magic)");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 4);
  detail::ByteReader trailer(bytes.substr(bytes.size() - 4));
  std::uint32_t stored_crc = 0;
  (void)trailer.u32(stored_crc);
  if (detail::crc32c(body) != stored_crc) return block_error("checksum mismatch");

  detail::ByteReader r(body.substr(kMagic.size()));
  TimestampMs mint = 0;
  TimestampMs maxt = 0;
  std::uint64_t series_count = 0;
  if (!r.i64(mint) || !r.i64(maxt) || !r.count(series_count, kMinSeriesBytes)) return block_error("truncated header");
  if (maxt <= mint) return block_error(fmt::format("empty time range [{}, {})", mint, maxt));
  std::vector<BlockSeries> series(static_cast<std::size_t>(series_count));
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (!read_series(r, series[i])) return block_error(fmt::format("series {} is truncated or malformed", i));
    if (i > 0 && series[i].id <= series[i - 1].id) return block_error("series ids not strictly ascending");
    if (auto problem = check_series(series[i], mint, maxt); !problem.empty()) return block_error(problem);
  }
  if (!r.at_end()) return block_error(fmt::format("{} unexpected bytes after the last series", r.remaining()));
  return Block(mint, maxt, std::move(series));
}

std::uint64_t Block::digest() const { return sim::fnv1a64(serialize()); }

Block compact(std::span<const Block> blocks, CompactStats* stats) {
  if (blocks.empty()) throw std::invalid_argument("compact: no blocks");
  const TimestampMs mint = blocks.front().min_time_ms();
  TimestampMs maxt = blocks.front().max_time_ms();
  std::vector<SeriesId> ids;
  for (const Block& b : blocks) {
    if (b.min_time_ms() != mint) throw std::invalid_argument("compact: blocks start at different times");
    maxt = std::max(maxt, b.max_time_ms());
    for (const BlockSeries& s : b.series()) ids.push_back(s.id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

  CompactStats local;
  std::vector<BlockSeries> merged;
  merged.reserve(ids.size());
  std::vector<Sample> all;
  for (SeriesId id : ids) {
    BlockSeries out{id, {}, {}};
    all.clear();
    for (const Block& b : blocks) {
      const BlockSeries* s = b.find(id);
      if (s == nullptr) continue;
      if (out.labels.empty()) out.labels = s->labels;
      all.insert(all.end(), s->samples.begin(), s->samples.end());
    }
    // Stable: at equal timestamps the earlier block's sample stays first and wins.
    std::stable_sort(all.begin(), all.end(),
                     [](const Sample& a, const Sample& b) { return a.timestamp_ms < b.timestamp_ms; });
    out.samples.reserve(all.size());
    for (const Sample& x : all) {
      if (!out.samples.empty() && out.samples.back().timestamp_ms == x.timestamp_ms) {
        ++(same_bits(out.samples.back().value, x.value) ? local.duplicates_dropped : local.conflicts);
        continue;
      }
      out.samples.push_back(x);
    }
    merged.push_back(std::move(out));
  }
  if (stats != nullptr) *stats = local;
  return Block(mint, maxt, std::move(merged));
}

}  // namespace weir::models::mimir
