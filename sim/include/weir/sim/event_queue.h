// EventQueue: the pending events of a simulation, popped in (time, order)
// order.
//
// Most events of a run are due within a few milliseconds (wake-ups, network
// deliveries, disk completions), and a heap pays a chain of dependent loads
// and a mispredicted branch or two for each of them. So the near future is a
// calendar: `kBuckets` buckets of 2^`kBucketShift` ns each, covering
// [floor, floor + kBuckets buckets), where the floor is the bucket of the
// last event popped. A bucket is one cache line holding up to two events,
// the earlier first; an event that is further away, or whose bucket is full,
// goes to the EventHeap instead. Each side knows its own earliest event, so
// `pop` takes the earlier of the two and the order is exactly the heap's
// alone: only where an event waits changes, never when it runs.
//
// Events must not be pushed before the last one popped (the Simulation never
// schedules in the past).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "weir/sim/assert.h"
#include "weir/sim/event_heap.h"

namespace weir::sim {

class EventQueue {
 public:
  static constexpr int kBucketShift = 9;        // 512 ns per bucket
  static constexpr std::size_t kBuckets = 4096;  // ~2.1 ms of near future

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  const Event& top() const {
    const std::size_t b = earliest_bucket();
    return takes_near(b) ? buckets_[b].events[0] : far_.top();
  }

  void push(const Event& e) {
    WEIR_ASSERT(bucket_of(e) >= floor_bucket_, "event at {} ns pushed before the last one popped", e.time_ns);
    ++size_;
    if (!push_near(e)) far_.push(e);
  }

  Event pop() {
    --size_;
    const std::size_t b = earliest_bucket();
    const Event e = takes_near(b) ? pop_near(b) : far_.pop();
    floor_bucket_ = bucket_of(e);
    return e;
  }

 private:
  struct alignas(64) Bucket {
    Event events[2];  // events[0] is the earlier
    std::uint32_t count = 0;
  };
  static constexpr std::size_t kNoBucket = SIZE_MAX;
  static constexpr std::size_t kWordBits = 64;
  static constexpr std::size_t kWords = kBuckets / kWordBits;
  static_assert(kWords <= kWordBits, "one summary word must cover every bitmap word");

  static std::uint64_t bucket_of(const Event& e) { return static_cast<std::uint64_t>(e.time_ns) >> kBucketShift; }

  bool push_near(const Event& e) {
    const std::uint64_t bucket = bucket_of(e);
    if (bucket - floor_bucket_ >= kBuckets) return false;
    const std::size_t b = bucket & (kBuckets - 1);
    Bucket& k = buckets_[b];
    if (k.count == 0) {
      k.events[0] = e;
      mark(b);
    } else if (k.count == 1) {
      const bool first = e.before(k.events[0]);
      k.events[1] = first ? k.events[0] : e;
      if (first) k.events[0] = e;
    } else {
      return false;
    }
    ++k.count;
    return true;
  }

  Event pop_near(std::size_t b) {
    Bucket& k = buckets_[b];
    const Event e = k.events[0];
    if (--k.count == 0) {
      unmark(b);
    } else {
      k.events[0] = k.events[1];
    }
    return e;
  }

  // Whether the earliest event is bucket `b`'s first rather than the heap's.
  bool takes_near(std::size_t b) const {
    return b != kNoBucket && (far_.empty() || buckets_[b].events[0].before(far_.top()));
  }

  void mark(std::size_t b) {
    words_[b / kWordBits] |= std::uint64_t{1} << (b % kWordBits);
    summary_ |= std::uint64_t{1} << (b / kWordBits);
  }
  void unmark(std::size_t b) {
    std::uint64_t& word = words_[b / kWordBits];
    word &= ~(std::uint64_t{1} << (b % kWordBits));
    if (word == 0) summary_ &= ~(std::uint64_t{1} << (b / kWordBits));
  }

  // The first non-empty bucket at or after the floor's, going round once:
  // every near event lies within one turn of the floor.
  std::size_t earliest_bucket() const {
    if (summary_ == 0) return kNoBucket;
    const std::size_t start = floor_bucket_ & (kBuckets - 1);
    const std::size_t w = start / kWordBits;
    const std::uint64_t rest_of_word = words_[w] & (~std::uint64_t{0} << (start % kWordBits));
    if (rest_of_word != 0) return w * kWordBits + std::countr_zero(rest_of_word);
    const std::uint64_t later_words = w + 1 < kWords ? summary_ & (~std::uint64_t{0} << (w + 1)) : 0;
    const std::size_t next = std::countr_zero(later_words != 0 ? later_words : summary_);
    return next * kWordBits + std::countr_zero(words_[next]);
  }

  std::size_t size_ = 0;
  std::uint64_t floor_bucket_ = 0;
  std::uint64_t summary_ = 0;                // bit w: words_[w] is not zero
  std::array<std::uint64_t, kWords> words_{};  // bit b: bucket b holds events
  std::vector<Bucket> buckets_ = std::vector<Bucket>(kBuckets);
  EventHeap far_;
};

}  // namespace weir::sim
