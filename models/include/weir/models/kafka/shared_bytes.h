// SharedBytes: an immutable byte string shared by every copy, the value of a
// Kafka record.
//
// A record is written once and then copied into each replica's log, every
// fetch response and every consumer: with its bytes shared, a copy costs a
// reference count, not the bytes (a broker's log does not own a private copy
// of what its leader already holds). Nothing can change the bytes in place;
// assigning a new string replaces them.
//
// Contract: a plain value, cheap to copy; reads as a std::string_view.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace weir::models::kafka {

class SharedBytes {
 public:
  SharedBytes() = default;
  SharedBytes(std::string bytes)  // NOLINT: implicit, a string is the bytes it holds
      : bytes_(std::make_shared<const std::string>(std::move(bytes))) {}
  SharedBytes(const char* text) : SharedBytes(std::string(text)) {}  // NOLINT: implicit, as std::string

  std::string_view view() const { return bytes_ ? std::string_view(*bytes_) : std::string_view(); }
  operator std::string_view() const { return view(); }  // NOLINT: implicit, read like a string
  const char* data() const { return view().data(); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  std::string str() const { return std::string(view()); }

  friend bool operator==(const SharedBytes& a, std::string_view b) { return a.view() == b; }

 private:
  std::shared_ptr<const std::string> bytes_;
};

}  // namespace weir::models::kafka
