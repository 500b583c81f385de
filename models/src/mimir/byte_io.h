// Little-endian byte writing and bounds-checked reading for weir's own
// binary formats (TSDB blocks, WAL records).
//
// Contract: ByteWriter appends to a caller-owned std::string (so a caller can
// reuse one buffer and avoid allocations). ByteReader reads from a
// string_view that must outlive it; every read checks bounds and returns
// false instead of reading past the end, so malformed input never crashes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "weir/models/mimir/types.h"

namespace weir::models::mimir::detail {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { fixed(v, 4); }
  void u64(std::uint64_t v) { fixed(v, 8); }
  void i64(std::int64_t v) { fixed(static_cast<std::uint64_t>(v), 8); }
  void f64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      u8(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    u8(static_cast<std::uint8_t>(v));
  }
  // A varint length, then the bytes.
  void bytes(std::string_view s) {
    varint(s.size());
    out_.append(s.data(), s.size());
  }

 private:
  void fixed(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool at_end() const { return pos_ == in_.size(); }

  bool u8(std::uint8_t& v) {
    if (remaining() < 1) return false;
    v = static_cast<std::uint8_t>(in_[pos_++]);
    return true;
  }
  bool u32(std::uint32_t& v) {
    std::uint64_t wide = 0;
    if (!fixed(wide, 4)) return false;
    v = static_cast<std::uint32_t>(wide);
    return true;
  }
  bool u64(std::uint64_t& v) { return fixed(v, 8); }
  bool i64(std::int64_t& v) {
    std::uint64_t bits = 0;
    if (!fixed(bits, 8)) return false;
    v = static_cast<std::int64_t>(bits);
    return true;
  }
  bool f64(double& v) {
    std::uint64_t bits = 0;
    if (!fixed(bits, 8)) return false;
    std::memcpy(&v, &bits, sizeof v);
    return true;
  }
  bool varint(std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = 0;
      if (!u8(b)) return false;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;  // more than 10 bytes: not a varint
  }
  // A count that must fit in what is left, each element taking at least
  // `min_element_bytes`: refuses absurd counts before anything is allocated.
  bool count(std::uint64_t& n, std::size_t min_element_bytes) {
    if (!varint(n)) return false;
    return min_element_bytes == 0 || n <= remaining() / min_element_bytes;
  }
  bool bytes(std::string& s) {
    std::uint64_t n = 0;
    if (!varint(n) || n > remaining()) return false;
    s.assign(in_.data() + pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

 private:
  bool fixed(std::uint64_t& v, int n) {
    if (remaining() < static_cast<std::size_t>(n)) return false;
    v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

// A label set as both formats store it: a varint count, then each name and
// value as length-prefixed bytes.
inline void write_labels(ByteWriter& w, const Labels& labels) {
  w.varint(labels.size());
  for (const Label& l : labels) {
    w.bytes(l.name);
    w.bytes(l.value);
  }
}

inline bool read_labels(ByteReader& r, Labels& labels) {
  constexpr std::size_t kMinLabelBytes = 2;  // two empty strings
  std::uint64_t count = 0;
  if (!r.count(count, kMinLabelBytes)) return false;
  labels.resize(static_cast<std::size_t>(count));
  for (Label& l : labels) {
    if (!r.bytes(l.name) || !r.bytes(l.value)) return false;
  }
  return true;
}

}  // namespace weir::models::mimir::detail
