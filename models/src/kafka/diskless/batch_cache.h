// BatchCache: an agent's LRU cache of decoded batches, bounded by bytes.
//
// Keyed by (object key, byte offset): an uploaded object never changes, so an
// entry never goes stale. Volatile state of one agent (dies with it).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "weir/models/kafka/protocol.h"

namespace weir::models::kafka::diskless {

using RecordBatch = std::shared_ptr<const std::vector<Record>>;

class BatchCache {
 public:
  explicit BatchCache(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}

  // The batch, marked most recently used; null on a miss.
  RecordBatch get(const std::string& object_key, std::uint64_t byte_offset);
  // Inserts (or refreshes) a batch of `bytes`, evicting the least recently used.
  void put(const std::string& object_key, std::uint64_t byte_offset, RecordBatch batch, std::uint64_t bytes);

  std::uint64_t bytes() const { return bytes_; }
  std::size_t size() const { return entries_.size(); }

 private:
  using Key = std::pair<std::string, std::uint64_t>;
  struct Entry {
    RecordBatch batch;
    std::uint64_t bytes = 0;
    std::list<Key>::iterator position;
  };

  void evict_to(std::uint64_t max_bytes);

  std::uint64_t max_bytes_;
  std::uint64_t bytes_ = 0;
  std::map<Key, Entry> entries_;
  std::list<Key> recency_;  // most recently used first
};

}  // namespace weir::models::kafka::diskless
