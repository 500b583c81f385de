// ByteWriter / ByteReader: little-endian fixed-width encoding for what the
// classic model stores on simulated disks (partition logs, the controller's
// metadata log). The reader never reads past its input: every getter reports
// failure instead, so a torn or corrupt file is detected, not trusted.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace weir::models::kafka::classic {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u32(std::uint32_t v) { put(&v, sizeof v); }
  void u64(std::uint64_t v) { put(&v, sizeof v); }
  void i32(std::int32_t v) { put(&v, sizeof v); }
  void i64(std::int64_t v) { put(&v, sizeof v); }
  void bytes(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }

 private:
  // The simulated disks live in this process, so host byte order is the format.
  void put(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool u32(std::uint32_t& v) { return get(&v, sizeof v); }
  bool u64(std::uint64_t& v) { return get(&v, sizeof v); }
  bool i32(std::int32_t& v) { return get(&v, sizeof v); }
  bool i64(std::int64_t& v) { return get(&v, sizeof v); }
  bool bytes(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || n > in_.size() - pos_) return false;
    s.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool skip(std::size_t n) {
    if (n > in_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  bool get(void* p, std::size_t n) {
    if (n > in_.size() - pos_) return false;
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace weir::models::kafka::classic
