// ChunkedBytes against a plain std::string doing the same appends and
// truncations, across chunk boundaries, with shared buffers spliced in.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <string>

#include "weir/sim/chunked_bytes.h"

using weir::sim::ChunkedBytes;
using weir::sim::SharedBytes;

namespace {

constexpr std::size_t kChunk = ChunkedBytes::kChunkBytes;

std::string pattern(std::size_t size, char seed) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + static_cast<char>(i % 251));
  return bytes;
}

}  // namespace

TEST_CASE("chunked bytes: appends across chunk boundaries read back in order", "[sim][disk]") {
  ChunkedBytes bytes;
  std::string model;
  for (const std::size_t size : {std::size_t{10}, kChunk / 2, kChunk, std::size_t{3}, 2 * kChunk + 7}) {
    const std::string piece = pattern(size, static_cast<char>(size));
    bytes.append(piece);
    model += piece;
  }
  CHECK(bytes.size() == model.size());
  CHECK(bytes.str() == model);
  CHECK(bytes.substr(kChunk + 5) == model.substr(kChunk + 5));
  CHECK(bytes.substr(model.size()).empty());
}

TEST_CASE("chunked bytes: truncation at, inside and past chunk boundaries", "[sim][disk]") {
  const std::string model = pattern(3 * kChunk + 100, 'a');
  for (const std::size_t keep : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk,
                                 3 * kChunk + 100, 4 * kChunk}) {
    CAPTURE(keep);
    ChunkedBytes bytes(model);
    bytes.truncate(keep);
    const std::string kept = model.substr(0, keep);
    CHECK(bytes.size() == kept.size());
    CHECK(bytes.str() == kept);
    bytes.append("tail");
    CHECK(bytes.str() == kept + "tail");
  }
}

TEST_CASE("chunked bytes: random appends and truncations match a string", "[sim][disk]") {
  CHECK(rc::check("same as std::string", [] {
    ChunkedBytes bytes;
    std::string model;
    const int steps = *rc::gen::inRange(1, 40);
    for (int step = 0; step < steps; ++step) {
      if (*rc::gen::inRange(0, 4) == 0) {
        const auto keep = *rc::gen::inRange<std::size_t>(0, model.size() + 2);
        bytes.truncate(keep);
        model.resize(std::min(keep, model.size()));
      } else {
        const auto size = *rc::gen::oneOf(rc::gen::inRange<std::size_t>(0, 100),
                                          rc::gen::inRange<std::size_t>(kChunk / 3, kChunk + 10));
        const std::string piece = pattern(size, static_cast<char>(step));
        switch (*rc::gen::inRange(0, 3)) {
          case 0: bytes.append(piece); break;
          case 1: bytes.append_shared(SharedBytes(piece)); break;
          default: {
            ChunkedBytes other;
            other.append(piece.substr(0, size / 3));
            other.append_shared(SharedBytes(piece.substr(size / 3, size / 3)));
            other.append(piece.substr(2 * (size / 3)));
            bytes.append(other);
          }
        }
        model += piece;
      }
      RC_ASSERT(bytes.size() == model.size());
    }
    RC_ASSERT(bytes.str() == model);
    const auto from = *rc::gen::inRange<std::size_t>(0, model.size() + 1);
    RC_ASSERT(bytes.substr(from) == model.substr(from));
  }));
}

TEST_CASE("chunked bytes: a shared buffer is referred to, and a cut through it copies only its prefix",
          "[sim][disk]") {
  const SharedBytes value(pattern(1000, 'v'));
  ChunkedBytes bytes;
  bytes.append("head");
  bytes.append_shared(value);
  bytes.append("tail");
  CHECK(bytes.size() == 1008);
  CHECK(bytes.str() == "head" + value.str() + "tail");

  ChunkedBytes copy = bytes;
  copy.truncate(4 + 10);
  CHECK(copy.str() == "head" + value.str().substr(0, 10));
  copy.append("after");
  CHECK(copy.str() == "head" + value.str().substr(0, 10) + "after");
  CHECK(bytes.str() == "head" + value.str() + "tail");  // the original is untouched
  CHECK(value.str() == pattern(1000, 'v'));             // and so is the buffer

  bytes.truncate(4 + 1000);  // exactly at the buffer's end: kept whole
  CHECK(bytes.str() == "head" + value.str());
  bytes.truncate(4);  // exactly at its start: gone
  CHECK(bytes.str() == "head");
}
