#include "codec.h"

#include <cstring>

namespace weir::models::kafka::diskless {
namespace {

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_u64(out, bytes.size());
  out.append(bytes);
}

// Reads fixed-width little-endian fields; any overrun marks the reader bad.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t u64() {
    if (bytes_.size() < 8) return fail();
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[i])) << (8 * i);
    bytes_.remove_prefix(8);
    return v;
  }
  std::string bytes() {
    const std::uint64_t n = u64();
    if (!ok_ || bytes_.size() < n) {
      fail();
      return {};
    }
    std::string out(bytes_.substr(0, n));
    bytes_.remove_prefix(n);
    return out;
  }
  bool ok() const { return ok_; }
  bool done() const { return bytes_.empty(); }

 private:
  std::uint64_t fail() {
    ok_ = false;
    bytes_ = {};
    return 0;
  }
  std::string_view bytes_;
  bool ok_ = true;
};

}  // namespace

std::string encode_records(const std::vector<Record>& records) {
  std::string out;
  put_u64(out, records.size());
  for (const Record& r : records) {
    put_bytes(out, r.key);
    put_bytes(out, r.value);
    put_u64(out, static_cast<std::uint64_t>(r.timestamp_ms));
    put_u64(out, r.headers.size());
    for (const RecordHeader& h : r.headers) {
      put_bytes(out, h.key);
      put_bytes(out, h.value);
    }
  }
  return out;
}

std::optional<std::vector<Record>> decode_records(std::string_view bytes) {
  Reader in(bytes);
  const std::uint64_t count = in.u64();
  std::vector<Record> records;
  for (std::uint64_t i = 0; i < count && in.ok(); ++i) {
    Record r;
    r.key = in.bytes();
    r.value = in.bytes();
    r.timestamp_ms = static_cast<std::int64_t>(in.u64());
    const std::uint64_t headers = in.u64();
    for (std::uint64_t h = 0; h < headers && in.ok(); ++h) {
      RecordHeader header;
      header.key = in.bytes();
      header.value = in.bytes();
      r.headers.push_back(std::move(header));
    }
    records.push_back(std::move(r));
  }
  if (!in.ok() || !in.done()) return std::nullopt;
  return records;
}

std::string encode_wal_entry(const WalEntry& entry) {
  std::string out;
  put_bytes(out, entry.id);
  put_u64(out, entry.batches.size());
  for (const WalBatch& b : entry.batches) {
    put_bytes(out, b.topic);
    put_u64(out, static_cast<std::uint64_t>(b.partition));
    put_u64(out, static_cast<std::uint64_t>(b.record_count));
    put_u64(out, b.byte_offset);
    put_u64(out, b.byte_length);
  }
  put_bytes(out, entry.body);
  return out;
}

std::optional<WalEntry> decode_wal_entry(std::string_view bytes) {
  Reader in(bytes);
  WalEntry entry;
  entry.id = in.bytes();
  const std::uint64_t count = in.u64();
  for (std::uint64_t i = 0; i < count && in.ok(); ++i) {
    WalBatch b;
    b.topic = in.bytes();
    b.partition = static_cast<std::int32_t>(in.u64());
    b.record_count = static_cast<std::int32_t>(in.u64());
    b.byte_offset = in.u64();
    b.byte_length = in.u64();
    entry.batches.push_back(std::move(b));
  }
  entry.body = in.bytes();
  if (!in.ok() || !in.done()) return std::nullopt;
  for (const WalBatch& b : entry.batches) {
    if (b.byte_offset + b.byte_length > entry.body.size()) return std::nullopt;
  }
  return entry;
}

}  // namespace weir::models::kafka::diskless
