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
    owned_size_ += taken;
  }
}

void ChunkedBytes::append_shared(const SharedBytes& bytes) {
  if (bytes.empty()) return;
  splices_.push_back(Splice{owned_size_, bytes});
  shared_size_ += bytes.size();
}

void ChunkedBytes::append(const ChunkedBytes& other) {
  other.for_each_piece([this](std::string_view owned, const SharedBytes* shared) {
    if (shared != nullptr) {
      append_shared(*shared);
    } else {
      append(owned);
    }
  });
}

void ChunkedBytes::truncate(std::size_t size) {
  if (size >= this->size()) return;
  // Shared buffers wholly past the cut go; one the cut goes through is kept
  // as a private copy of its kept prefix.
  std::string cut_prefix;
  std::size_t owned_kept = 0;
  bool cut_through_shared = false;
  while (!splices_.empty()) {
    const Splice& last = splices_.back();
    const std::size_t start = last.owned_before + shared_size_ - last.bytes.size();
    if (start + last.bytes.size() <= size) break;
    shared_size_ -= last.bytes.size();
    if (start < size) {
      cut_prefix = std::string(last.bytes.view().substr(0, size - start));
      owned_kept = last.owned_before;
      cut_through_shared = true;
    }
    splices_.pop_back();
    if (cut_through_shared) break;
  }
  if (!cut_through_shared) owned_kept = size - shared_size_;
  truncate_owned(owned_kept);
  append(cut_prefix);
}

void ChunkedBytes::truncate_owned(std::size_t size) {
  if (size >= owned_size_) return;
  const std::size_t kept_chunks = (size + kChunkBytes - 1) / kChunkBytes;
  chunks_.resize(kept_chunks);
  if (!chunks_.empty()) chunks_.back().resize(size - (kept_chunks - 1) * kChunkBytes);
  owned_size_ = size;
}

template <class Visit>
void ChunkedBytes::for_each_piece(Visit visit) const {
  std::size_t owned_at = 0;
  const auto visit_owned = [&](std::size_t end) {
    for (; owned_at < end;) {
      const std::string& chunk = chunks_[owned_at / kChunkBytes];
      const std::size_t in_chunk = owned_at % kChunkBytes;
      const std::size_t length = std::min(end - owned_at, chunk.size() - in_chunk);
      visit(std::string_view(chunk).substr(in_chunk, length), nullptr);
      owned_at += length;
    }
  };
  for (const Splice& splice : splices_) {
    visit_owned(splice.owned_before);
    visit(splice.bytes.view(), &splice.bytes);
  }
  visit_owned(owned_size_);
}

std::string ChunkedBytes::substr(std::size_t from) const {
  std::string out;
  if (from >= size()) return out;
  out.reserve(size() - from);
  std::size_t at = 0;  // the file position of the piece being visited
  for_each_piece([&](std::string_view piece, const SharedBytes*) {
    if (at + piece.size() > from) out.append(piece.substr(from > at ? from - at : 0));
    at += piece.size();
  });
  return out;
}

}  // namespace weir::sim
