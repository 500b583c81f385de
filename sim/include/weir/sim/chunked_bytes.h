// ChunkedBytes: a growing byte string kept in fixed-size chunks, the body of
// a simulated disk file, into which shared immutable buffers can be spliced
// by reference.
//
// A file that only grows (a log, a WAL) would, as one std::string, be copied
// and its pages touched anew each time its capacity doubled; in chunks, each
// byte is copied once and a file never holds more than one chunk (64 KiB) of
// slack. The first chunk grows like a string, so small files stay small.
//
// A file that logs bytes the program already holds (a broker's segment file
// logging record values its in-memory log shares) appends them as
// SharedBytes: the file refers to the buffer instead of copying it, so the
// bytes exist once however many logs hold them. Reads see one byte string
// either way; truncating through a shared buffer keeps a private copy of its
// kept prefix.
//
// Contract: a plain value; str() and substr() copy out. Shared buffers are
// immutable, so a copy of a ChunkedBytes never sees another's changes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/shared_bytes.h"

namespace weir::sim {

class ChunkedBytes {
 public:
  static constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

  ChunkedBytes() = default;
  explicit ChunkedBytes(std::string_view bytes) { append(bytes); }

  std::size_t size() const { return owned_size_ + shared_size_; }
  bool empty() const { return size() == 0; }

  // Copies `bytes` to the end.
  void append(std::string_view bytes);
  // Refers to `bytes` at the end, without copying them.
  void append_shared(const SharedBytes& bytes);
  // Appends `other`: its own bytes copied, its shared buffers referred to.
  void append(const ChunkedBytes& other);
  // Keeps the first min(size, size()) bytes.
  void truncate(std::size_t size);
  std::string str() const { return substr(0); }
  // The bytes from `from` (at most size()) to the end.
  std::string substr(std::size_t from) const;

 private:
  // A shared buffer that follows the first `owned_before` owned bytes.
  struct Splice {
    std::size_t owned_before = 0;
    SharedBytes bytes;
  };

  // Calls visit(bytes, shared) for each run of bytes in file order: owned
  // runs (at most a chunk each, shared == nullptr) and shared buffers.
  template <class Visit>
  void for_each_piece(Visit visit) const;
  void truncate_owned(std::size_t size);

  std::vector<std::string> chunks_;  // owned bytes; all but the last hold exactly kChunkBytes
  std::size_t owned_size_ = 0;
  std::vector<Splice> splices_;  // in file order
  std::size_t shared_size_ = 0;
};

}  // namespace weir::sim
