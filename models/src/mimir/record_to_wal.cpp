#include "weir/models/mimir/record_to_wal.h"

#include <bit>
#include <climits>
#include <optional>
#include <string>

#include "../wire_check.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/mimir/tenant_heads.h"
#include "weir/models/remote_write.h"

namespace weir::models::mimir {
namespace {

// Protobuf wire types, and the field numbers of remote_write.proto read here.
enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2 };
constexpr std::uint32_t kWriteRequestTimeseries = 1;
constexpr std::uint32_t kTimeSeriesLabels = 1;
constexpr std::uint32_t kTimeSeriesSamples = 2;
constexpr std::uint32_t kLabelName = 1;
constexpr std::uint32_t kLabelValue = 2;
constexpr std::uint32_t kSampleValue = 1;
constexpr std::uint32_t kSampleTimestamp = 2;

// Reads protobuf wire format forward. Every read says whether it succeeded;
// a reader that failed once is not read again (its caller gives up).
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : at_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool done() const { return at_ == end_; }

  bool varint(std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && at_ != end_; shift += 7) {
      const auto byte = static_cast<std::uint8_t>(*at_++);
      // The tenth byte may carry only the top bit; more is an overflow that
      // protobuf resolves its own way: leave it to protobuf.
      if (shift == 63 && byte > 1) return false;
      out |= static_cast<std::uint64_t>(byte & 0x7fU) << shift;
      if ((byte & 0x80U) == 0) return true;
    }
    return false;
  }

  bool tag(std::uint32_t& field, std::uint32_t& wire_type) {
    std::uint64_t key = 0;
    if (!varint(key) || key >> 32 != 0) return false;
    field = static_cast<std::uint32_t>(key >> 3);
    wire_type = static_cast<std::uint32_t>(key & 7U);
    return field != 0;
  }

  bool length_delimited(std::string_view& out) {
    std::uint64_t size = 0;
    if (!varint(size) || size > static_cast<std::uint64_t>(end_ - at_)) return false;
    out = std::string_view(at_, static_cast<std::size_t>(size));
    at_ += size;
    return true;
  }

  bool fixed64(std::uint64_t& out) {
    if (end_ - at_ < 8) return false;
    out = 0;
    for (int i = 7; i >= 0; --i) out = (out << 8) | static_cast<std::uint8_t>(at_[i]);
    at_ += 8;
    return true;
  }

 private:
  const char* at_;
  const char* end_;
};

// A proto3 string field as protobuf accepts it (valid UTF-8).
bool read_string(WireReader& in, std::uint32_t wire_type, std::string& out) {
  std::string_view bytes;
  if (wire_type != kLength || !in.length_delimited(bytes) || !detail::is_valid_utf8(bytes)) return false;
  out.assign(bytes);
  return true;
}

bool read_label(std::string_view bytes, Label& label) {
  WireReader in(bytes);
  while (!in.done()) {
    std::uint32_t field = 0, wire_type = 0;
    if (!in.tag(field, wire_type)) return false;
    if (field == kLabelName) {
      if (!read_string(in, wire_type, label.name)) return false;
    } else if (field == kLabelValue) {
      if (!read_string(in, wire_type, label.value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool read_sample(std::string_view bytes, Sample& sample) {
  WireReader in(bytes);
  while (!in.done()) {
    std::uint32_t field = 0, wire_type = 0;
    std::uint64_t bits = 0;
    if (!in.tag(field, wire_type)) return false;
    if (field == kSampleValue && wire_type == kFixed64 && in.fixed64(bits)) {
      sample.value = std::bit_cast<double>(bits);
    } else if (field == kSampleTimestamp && wire_type == kVarint && in.varint(bits)) {
      sample.timestamp_ms = static_cast<TimestampMs>(bits);
    } else {
      return false;
    }
  }
  return true;
}

bool read_series(std::string_view bytes, WalSeries& series) {
  WireReader in(bytes);
  while (!in.done()) {
    std::uint32_t field = 0, wire_type = 0;
    std::string_view nested;
    if (!in.tag(field, wire_type) || wire_type != kLength || !in.length_delimited(nested)) return false;
    if (field == kTimeSeriesLabels) {
      if (!read_label(nested, series.labels.emplace_back())) return false;
    } else if (field == kTimeSeriesSamples) {
      if (!read_sample(nested, series.samples.emplace_back())) return false;
    } else {
      return false;
    }
  }
  return true;
}

// The fast path: nullopt for anything it does not read, which protobuf then does.
std::optional<WalRecord> read_plain_request(std::string_view tenant, std::string_view value, std::int64_t offset) {
  WalRecord record{offset, std::string(tenant), {}};
  WireReader in(value);
  while (!in.done()) {
    std::uint32_t field = 0, wire_type = 0;
    std::string_view nested;
    if (!in.tag(field, wire_type) || field != kWriteRequestTimeseries || wire_type != kLength ||
        !in.length_delimited(nested)) {
      return std::nullopt;
    }
    WalSeries& series = record.series.emplace_back();
    if (!read_series(nested, series)) return std::nullopt;
    series.id = series_id(tenant, series.labels);
  }
  return record;
}

}  // namespace

DecodeResult<WalRecord> decode_record_as_wal(std::string_view key, std::string_view value,
                                             const std::vector<RecordHeader>& headers, std::int64_t offset) {
  const auto version = decodable_record_version(key, headers);
  if (!version) return version.error();
  if (value.size() <= static_cast<std::size_t>(INT_MAX)) {
    if (auto record = read_plain_request(key, value, offset)) return std::move(*record);
  }
  auto request = parse_write_request(value);
  if (!request) return request.error().in("record");
  return TenantHeads::to_wal_record(std::string(key), request.value(), offset);
}

}  // namespace weir::models::mimir
