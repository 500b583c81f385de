// ChunkedBytes: a growing byte string kept in fixed-size chunks, the body of
// a simulated disk file.
//
// A file that only grows (a log, a WAL) would, as one std::string, be copied
// and its pages touched anew each time its capacity doubled; in chunks, each
// byte is copied once and a file never holds more than one chunk (64 KiB) of slack.
// The first chunk grows like a string, so small files stay small.
//
// Contract: a plain value; str() and substr() copy out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace weir::sim {

class ChunkedBytes {
 public:
  static constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

  ChunkedBytes() = default;
  explicit ChunkedBytes(std::string_view bytes) { append(bytes); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void append(std::string_view bytes);
  // Keeps the first min(size, size()) bytes.
  void truncate(std::size_t size);
  std::string str() const { return substr(0); }
  // The bytes from `from` (at most size()) to the end.
  std::string substr(std::size_t from) const;

 private:
  std::vector<std::string> chunks_;  // all but the last hold exactly kChunkBytes
  std::size_t size_ = 0;
};

}  // namespace weir::sim
