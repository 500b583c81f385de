#include "weir/models/mimir/head.h"
#include "weir/sim/assert.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace weir::models::mimir {
namespace {

// Floor division, so negative timestamps land in the right range too.
TimestampMs range_start(TimestampMs t, std::int64_t range) {
  const TimestampMs q = t / range;
  return (t % range != 0 && t < 0 ? q - 1 : q) * range;
}

// t >= head_max - window, without overflow when head_max is far below zero.
bool within_window(TimestampMs t, TimestampMs head_max, std::int64_t window) {
  if (t >= head_max) return true;
  return static_cast<std::uint64_t>(head_max) - static_cast<std::uint64_t>(t) <= static_cast<std::uint64_t>(window);
}

auto by_timestamp = [](const Sample& s, TimestampMs t) { return s.timestamp_ms < t; };

}  // namespace

const char* to_string(AppendOutcome outcome) {
  switch (outcome) {
    case AppendOutcome::appended: return "appended";
    case AppendOutcome::appended_out_of_order: return "appended_out_of_order";
    case AppendOutcome::duplicate: return "duplicate";
    case AppendOutcome::ooo_collision_dropped: return "ooo_collision_dropped";
    case AppendOutcome::duplicate_timestamp: return "duplicate_timestamp";
    case AppendOutcome::out_of_order: return "out_of_order";
    case AppendOutcome::too_old: return "too_old";
    case AppendOutcome::out_of_bounds: return "out_of_bounds";
  }
  return "unknown";
}

bool is_rejected(AppendOutcome outcome) {
  switch (outcome) {
    case AppendOutcome::duplicate_timestamp:
    case AppendOutcome::out_of_order:
    case AppendOutcome::too_old:
    case AppendOutcome::out_of_bounds: return true;
    case AppendOutcome::appended:
    case AppendOutcome::appended_out_of_order:
    case AppendOutcome::duplicate:
    case AppendOutcome::ooo_collision_dropped: return false;
  }
  return false;
}

std::optional<std::string> HeadOptions::validate() const {
  if (block_range_ms <= 0 || block_range_ms % 2 != 0) return "block_range_ms must be positive and even";
  if (out_of_order_window_ms < 0) return "out_of_order_window_ms must not be negative";
  return std::nullopt;
}

Head::Head(HeadOptions options) : options_(options) {
  if (auto error = options_.validate()) throw std::invalid_argument("HeadOptions: " + *error);
}

std::optional<Head::SeriesRef> Head::find(SeriesId id) const {
  return index_.find(id);
}

Head::SeriesRef Head::get_or_create(SeriesId id, Labels labels) {
  if (auto ref = find(id)) return *ref;
  const auto ref = static_cast<SeriesRef>(series_.size());
  series_.push_back(Series{id, std::move(labels), {}, false, {}});
  index_.insert(id, ref);
  return ref;
}

AppendBounds Head::bounds() const {
  AppendBounds b;
  b.head_max_ms = max_time_ms_;
  b.min_valid_ms = min_valid_ms_;
  if (max_time_ms_ != AppendBounds::kNone) {
    b.min_valid_ms = std::max(min_valid_ms_, max_time_ms_ - options_.block_range_ms / 2);
  }
  return b;
}

AppendOutcome Head::record(AppendOutcome outcome) {
  ++counts_[static_cast<std::size_t>(outcome)];
  return outcome;
}

AppendOutcome Head::append(SeriesRef ref, Sample sample, const AppendBounds& bounds) {
  Series& s = series_[ref];
  const TimestampMs t = sample.timestamp_ms;
  const std::int64_t window = options_.out_of_order_window_ms;
  if (window == 0 && t < bounds.min_valid_ms) return record(AppendOutcome::out_of_bounds);
  if (t >= bounds.min_valid_ms) {
    if (!s.has_in_order || t > s.newest_in_order.timestamp_ms) return record(append_in_order(s, sample));
    if (t == s.newest_in_order.timestamp_ms) {
      return record(same_bits(s.newest_in_order.value, sample.value) ? AppendOutcome::duplicate
                                                                      : AppendOutcome::duplicate_timestamp);
    }
  }
  if (window > 0 && within_window(t, bounds.head_max_ms, window)) return record(insert_out_of_order(s, sample));
  if (window > 0) return record(AppendOutcome::too_old);
  if (t < bounds.min_valid_ms) return record(AppendOutcome::out_of_bounds);
  return record(AppendOutcome::out_of_order);
}

AppendOutcome Head::append_in_order(Series& s, Sample sample) {
  WEIR_ASSERT(!s.has_in_order || sample.timestamp_ms > s.newest_in_order.timestamp_ms,
              "series {:#x}: in-order append at {} ms, not after the newest in-order sample at {} ms", s.id,
              sample.timestamp_ms, s.newest_in_order.timestamp_ms);
  if (!s.samples.empty() && s.samples.back().timestamp_ms >= sample.timestamp_ms) {
    // Only out-of-order samples can lie ahead of the newest in-order one.
    auto it = std::lower_bound(s.samples.begin(), s.samples.end(), sample.timestamp_ms, by_timestamp);
    if (it != s.samples.end() && it->timestamp_ms == sample.timestamp_ms) {
      return same_bits(it->value, sample.value) ? AppendOutcome::duplicate : AppendOutcome::duplicate_timestamp;
    }
    s.samples.insert(it, sample);
  } else {
    s.samples.push_back(sample);
  }
  s.has_in_order = true;
  s.newest_in_order = sample;
  ++sample_count_;
  if (max_time_ms_ == AppendBounds::kNone) {
    min_time_ms_ = max_time_ms_ = sample.timestamp_ms;
  } else {
    min_time_ms_ = std::min(min_time_ms_, sample.timestamp_ms);
    max_time_ms_ = std::max(max_time_ms_, sample.timestamp_ms);
  }
  return AppendOutcome::appended;
}

AppendOutcome Head::insert_out_of_order(Series& s, Sample sample) {
  auto it = std::lower_bound(s.samples.begin(), s.samples.end(), sample.timestamp_ms, by_timestamp);
  if (it != s.samples.end() && it->timestamp_ms == sample.timestamp_ms) {
    return same_bits(it->value, sample.value) ? AppendOutcome::duplicate : AppendOutcome::ooo_collision_dropped;
  }
  s.samples.insert(it, sample);
  ++sample_count_;
  return AppendOutcome::appended_out_of_order;
}

std::span<const Sample> Head::query(SeriesId id, TimestampMs mint, TimestampMs maxt) const {
  auto ref = find(id);
  if (!ref || maxt < mint) return {};
  const std::vector<Sample>& v = series_[*ref].samples;
  auto lo = std::lower_bound(v.begin(), v.end(), mint, by_timestamp);
  auto hi = std::upper_bound(lo, v.end(), maxt, [](TimestampMs t, const Sample& x) { return t < x.timestamp_ms; });
  return {lo, hi};
}

std::optional<TimestampMs> Head::compactable_boundary() const {
  if (max_time_ms_ == AppendBounds::kNone) return std::nullopt;
  if (max_time_ms_ - min_time_ms_ <= options_.block_range_ms / 2 * 3) return std::nullopt;
  return range_start(min_time_ms_, options_.block_range_ms) + options_.block_range_ms;
}

std::vector<Block> Head::cut_blocks(TimestampMs boundary) {
  if (range_start(boundary, options_.block_range_ms) != boundary) {
    throw std::invalid_argument("cut_blocks: boundary is not a multiple of the block range");
  }
  return cut(boundary);
}

std::vector<Block> Head::cut_all() {
  if (max_time_ms_ == AppendBounds::kNone) return {};
  return cut(max_time_ms_ + 1);
}

void Head::raise_min_valid(TimestampMs min_valid_ms) { min_valid_ms_ = std::max(min_valid_ms_, min_valid_ms); }

std::vector<Block> Head::cut(TimestampMs boundary) {
  const std::int64_t range = options_.block_range_ms;
  std::map<TimestampMs, std::vector<BlockSeries>> by_range;  // a few ranges at most
  for (Series& s : series_) {
    auto end = std::lower_bound(s.samples.begin(), s.samples.end(), boundary, by_timestamp);
    for (auto it = s.samples.begin(); it != end;) {
      const TimestampMs start = range_start(it->timestamp_ms, range);
      auto range_end = std::lower_bound(it, end, start + range, by_timestamp);
      by_range[start].push_back(BlockSeries{s.id, s.labels, std::vector<Sample>(it, range_end)});
      it = range_end;
    }
    sample_count_ -= static_cast<std::uint64_t>(end - s.samples.begin());
    s.samples.erase(s.samples.begin(), end);
  }
  std::vector<Block> blocks;
  for (auto& [start, series] : by_range) {
    blocks.emplace_back(start, std::min(start + range, boundary), std::move(series));
  }

  min_valid_ms_ = std::max(min_valid_ms_, boundary);
  if (max_time_ms_ != AppendBounds::kNone) min_time_ms_ = std::max(min_time_ms_, boundary);
  drop_empty_series();
  return blocks;
}

void Head::drop_empty_series() {
  std::erase_if(series_, [](const Series& s) { return s.samples.empty(); });
  index_.clear();
  for (std::size_t i = 0; i < series_.size(); ++i) index_.insert(series_[i].id, static_cast<SeriesRef>(i));
}

}  // namespace weir::models::mimir
