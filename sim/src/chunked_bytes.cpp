#include "weir/sim/chunked_bytes.h"

#include <algorithm>

namespace weir::sim {

void ChunkedBytes::append(std::string_view bytes) {
  while (!bytes.empty()) {
    if (chunks_.empty() || chunks_.back().size() == kChunkBytes) {
      chunks_.emplace_back();
      if (chunks_.size() > 1) chunks_.back().reserve(kChunkBytes);
    }
    std::string& last = chunks_.back();
    const std::size_t taken = std::min(bytes.size(), kChunkBytes - last.size());
    // A first chunk about to outgrow half a chunk takes a whole one at once,
    // rather than doubling past it.
    if (last.size() + taken > last.capacity() && last.size() + taken > kChunkBytes / 2) last.reserve(kChunkBytes);
    last.append(bytes.substr(0, taken));
    bytes.remove_prefix(taken);
    size_ += taken;
  }
}

void ChunkedBytes::truncate(std::size_t size) {
  if (size >= size_) return;
  const std::size_t kept_chunks = (size + kChunkBytes - 1) / kChunkBytes;
  chunks_.resize(kept_chunks);
  if (!chunks_.empty()) chunks_.back().resize(size - (kept_chunks - 1) * kChunkBytes);
  size_ = size;
}

std::string ChunkedBytes::substr(std::size_t from) const {
  std::string out;
  if (from >= size_) return out;
  out.reserve(size_ - from);
  std::size_t chunk_start = 0;
  for (const std::string& chunk : chunks_) {
    const std::size_t chunk_end = chunk_start + chunk.size();
    if (chunk_end > from) out.append(chunk, from > chunk_start ? from - chunk_start : 0);
    chunk_start = chunk_end;
  }
  return out;
}

}  // namespace weir::sim
