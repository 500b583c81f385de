#include "batch_cache.h"

namespace weir::models::kafka::diskless {

RecordBatch BatchCache::get(const std::string& object_key, std::uint64_t byte_offset) {
  const auto it = entries_.find(Key{object_key, byte_offset});
  if (it == entries_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second.position);
  return it->second.batch;
}

void BatchCache::put(const std::string& object_key, std::uint64_t byte_offset, RecordBatch batch,
                     std::uint64_t bytes) {
  if (bytes > max_bytes_) return;  // would evict everything else and still not fit
  Key key{object_key, byte_offset};
  const auto it = entries_.find(key);
  if (it != entries_.end()) {
    bytes_ -= it->second.bytes;
    recency_.erase(it->second.position);
    entries_.erase(it);
  }
  evict_to(max_bytes_ - bytes);
  recency_.push_front(key);
  entries_.emplace(std::move(key), Entry{std::move(batch), bytes, recency_.begin()});
  bytes_ += bytes;
}

void BatchCache::evict_to(std::uint64_t max_bytes) {
  while (bytes_ > max_bytes && !recency_.empty()) {
    const auto it = entries_.find(recency_.back());
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    recency_.pop_back();
  }
}

}  // namespace weir::models::kafka::diskless
