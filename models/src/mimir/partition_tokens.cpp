#include "weir/models/mimir/partition_tokens.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace weir::models::mimir {
namespace {

constexpr std::int64_t kTotalTokens = std::int64_t{1} << 32;
constexpr std::uint32_t kMaxZones = 8;
// The highest token of the leading zone: leaves room for the other 7 zones' tokens.
constexpr std::uint32_t kMaxTokenValue = static_cast<std::uint32_t>((kTotalTokens / kMaxZones - 1) * kMaxZones);

// A partition's range (prev, token] and its size.
struct TokenRange {
  std::uint32_t token = 0;
  std::uint32_t prev = 0;
  double ownership = 0;
  std::int64_t key() const { return token; }
};

struct PartitionOwnership {
  std::int32_t partition = 0;
  double ownership = 0;
  std::int64_t key() const { return partition; }
};

// dskit's ownershipPriorityQueue order: larger ownership first, then larger key.
template <class T>
bool higher_priority(const T& a, const T& b) {
  if (a.ownership == b.ownership) return a.key() > b.key();
  return a.ownership > b.ownership;
}

// A binary max-heap under higher_priority. The order is total (keys are
// unique), so the top is the same as with any other correct heap.
template <class T>
class MaxHeap {
 public:
  bool empty() const { return items_.empty(); }
  T& top() { return items_.front(); }
  void push(T item) {
    items_.push_back(std::move(item));
    sift_up(items_.size() - 1);
  }
  T pop() {
    T out = std::move(items_.front());
    items_.front() = std::move(items_.back());
    items_.pop_back();
    if (!items_.empty()) sift_down(0);
    return out;
  }
  // Restores the heap after top() was changed in place.
  void fix_top() { sift_down(0); }

 private:
  void sift_up(std::size_t i) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!higher_priority(items_[i], items_[parent])) return;
      std::swap(items_[i], items_[parent]);
      i = parent;
    }
  }
  void sift_down(std::size_t i) {
    for (;;) {
      std::size_t best = i;
      for (std::size_t child : {2 * i + 1, 2 * i + 2}) {
        if (child < items_.size() && higher_priority(items_[child], items_[best])) best = child;
      }
      if (best == i) return;
      std::swap(items_[i], items_[best]);
      i = best;
    }
  }
  std::vector<T> items_;
};

TokenRange make_range(std::uint32_t token, std::uint32_t prev) {
  return TokenRange{token, prev, static_cast<double>(token_distance(prev, token))};
}

std::vector<std::uint32_t> first_partition_tokens() {
  constexpr std::int64_t spacing = (kTotalTokens / kTokensPerPartition / kMaxZones) * kMaxZones;
  std::vector<std::uint32_t> tokens;
  tokens.reserve(kTokensPerPartition);
  for (std::int64_t i = 0; i < kTokensPerPartition; ++i) tokens.push_back(static_cast<std::uint32_t>(i * spacing));
  return tokens;
}

// The ownership each remaining token should take, rounded down to a multiple of 8.
std::uint32_t optimal_token_ownership(double optimal_partition, double current_partition, std::uint32_t remaining) {
  // Go converts the float with truncation toward zero; the difference is never negative here.
  const double want = std::max(0.0, optimal_partition - current_partition);
  const auto per_token = static_cast<std::uint32_t>(static_cast<std::int64_t>(want)) / remaining;
  return (per_token / kMaxZones) * kMaxZones;
}

std::uint32_t new_token_in(const TokenRange& range, std::uint32_t ownership) {
  if (ownership < kMaxZones || ownership % kMaxZones != 0 || range.prev % kMaxZones != range.token % kMaxZones ||
      token_distance(range.prev, range.token) <= static_cast<std::int64_t>(ownership)) {
    throw std::logic_error("spread-minimizing tokens: no room for a token of ownership " + std::to_string(ownership));
  }
  const std::uint32_t offset = kMaxTokenValue - range.prev;
  if (offset < ownership) return ownership - offset;
  return range.prev + ownership;
}

}  // namespace

std::vector<std::vector<std::uint32_t>> spread_minimizing_tokens(std::int32_t max_partition_id) {
  if (max_partition_id < 0) throw std::invalid_argument("max_partition_id must be non-negative");
  const auto count = static_cast<std::size_t>(max_partition_id) + 1;
  std::vector<std::vector<std::uint32_t>> tokens(count);
  tokens[0] = first_partition_tokens();

  std::vector<MaxHeap<TokenRange>> ranges(count);
  MaxHeap<PartitionOwnership> partitions;
  double first_ownership = 0;
  for (std::size_t k = 0; k < tokens[0].size(); ++k) {
    const std::uint32_t prev = tokens[0][(k + tokens[0].size() - 1) % tokens[0].size()];
    TokenRange r = make_range(tokens[0][k], prev);
    first_ownership += r.ownership;
    ranges[0].push(r);
  }
  partitions.push(PartitionOwnership{0, first_ownership});

  std::vector<PartitionOwnership> ignored;
  for (std::size_t i = 1; i < count; ++i) {
    const double optimal_partition = static_cast<double>(kTotalTokens) / static_cast<double>(i + 1);
    double current = 0;
    ignored.clear();
    std::vector<std::uint32_t>& mine = tokens[i];
    mine.reserve(kTokensPerPartition);
    while (mine.size() < static_cast<std::size_t>(kTokensPerPartition)) {
      const std::uint32_t want = optimal_token_ownership(
          optimal_partition, current, static_cast<std::uint32_t>(kTokensPerPartition - mine.size()));
      if (partitions.empty() || partitions.top().ownership <= want) {
        throw std::logic_error("spread-minimizing tokens: no partition can give up a range");
      }
      PartitionOwnership& donor = partitions.top();
      MaxHeap<TokenRange>& donor_ranges = ranges[static_cast<std::size_t>(donor.partition)];
      TokenRange& largest = donor_ranges.top();
      if (largest.ownership <= want) {
        ignored.push_back(partitions.pop());  // its largest range is too small: skip it for this partition
        continue;
      }
      const std::uint32_t token = new_token_in(largest, want);
      mine.push_back(token);
      ranges[i].push(make_range(token, largest.prev));

      const double old_ownership = largest.ownership;
      const double new_ownership = static_cast<double>(token_distance(token, largest.token));
      current += old_ownership - new_ownership;
      largest.prev = token;
      largest.ownership = new_ownership;
      donor_ranges.fix_top();
      donor.ownership = donor.ownership - old_ownership + new_ownership;
      partitions.fix_top();
    }
    for (const PartitionOwnership& p : ignored) partitions.push(p);
    partitions.push(PartitionOwnership{static_cast<std::int32_t>(i), current});
  }
  for (auto& t : tokens) std::sort(t.begin(), t.end());
  return tokens;
}

PartitionTokenTable make_partition_token_table(std::int32_t max_partition_id) {
  // A pure function of its argument, and a sweep's worker process builds
  // the same few tables for every seed: each is built once per process.
  // Tables are immutable; the lock only guards the cache.
  static std::mutex mutex;
  static std::map<std::int32_t, PartitionTokenTable> built;
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = built.find(max_partition_id); it != built.end()) return it->second;
  auto table = std::make_shared<const std::vector<std::vector<std::uint32_t>>>(spread_minimizing_tokens(max_partition_id));
  built.emplace(max_partition_id, table);
  return table;
}

}  // namespace weir::models::mimir
