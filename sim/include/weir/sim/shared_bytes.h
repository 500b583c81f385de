// SharedBytes: an immutable byte string shared by every copy, such as the
// value of a Kafka record.
//
// A record is written once and then copied into each replica's log, every
// fetch response, every consumer and every disk file that logs it: with its
// bytes shared, a copy costs a reference count, not the bytes (a broker's log
// does not own a private copy of what its leader already holds, and its
// segment file on the simulated disk refers to the same bytes). Nothing can change the bytes in place;
// assigning a new string replaces them.
//
// The bytes' digest (sim::fnv1a64) is computed once, on first request, and
// kept with them: every replica, consumer and ingester zone that digests
// the record for its trace gets it without hashing the bytes again.
//
// Contract: a plain value, cheap to copy; reads as a std::string_view. Not
// thread-safe (the digest is filled in lazily), like the simulation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "weir/sim/hash.h"

namespace weir::sim {

class SharedBytes {
 public:
  SharedBytes() = default;
  SharedBytes(std::string bytes)  // NOLINT: implicit, a string is the bytes it holds
      : bytes_(std::make_shared<const Buffer>(std::move(bytes))) {}
  SharedBytes(const char* text) : SharedBytes(std::string(text)) {}  // NOLINT: implicit, as std::string

  std::string_view view() const { return bytes_ ? std::string_view(bytes_->bytes) : std::string_view(); }
  operator std::string_view() const { return view(); }  // NOLINT: implicit, read like a string
  const char* data() const { return view().data(); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  std::string str() const { return std::string(view()); }

  // fnv1a64(view()), computed once per buffer.
  std::uint64_t digest() const {
    if (!bytes_) return fnv1a64({});
    if (!bytes_->digest) bytes_->digest = fnv1a64(bytes_->bytes);
    return *bytes_->digest;
  }

  friend bool operator==(const SharedBytes& a, std::string_view b) { return a.view() == b; }

 private:
  struct Buffer {
    explicit Buffer(std::string b) : bytes(std::move(b)) {}
    const std::string bytes;
    mutable std::optional<std::uint64_t> digest;
  };
  std::shared_ptr<const Buffer> bytes_;
};

}  // namespace weir::sim
