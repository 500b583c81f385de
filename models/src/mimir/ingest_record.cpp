#include "weir/models/mimir/ingest_record.h"

#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>

#include "weir/models/remote_write.h"

namespace weir::models::mimir {
namespace {

// Bytes an entry of a repeated message field adds to its parent: tag, length, body.
std::size_t entry_bytes(std::size_t body) {
  return 1 + google::protobuf::io::CodedOutputStream::VarintSize64(body) + body;
}

// `byte_size` is request.ByteSizeLong(), just computed: it left every
// message's size cached, so serializing does not size them all again.
IngestRecord make_record(std::string_view tenant, const prometheus::WriteRequest& request, std::size_t byte_size) {
  if (byte_size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::length_error("WriteRequest does not serialize: over protobuf's 2 GiB limit");
  }
  IngestRecord record;
  record.key = std::string(tenant);
  record.value.resize(byte_size);
  request.SerializeWithCachedSizesToArray(reinterpret_cast<std::uint8_t*>(record.value.data()));
  record.headers.push_back(record_version_header(kRecordVersionWritten));
  return record;
}

// Packs entries [0, count) greedily into parts of at most max_bytes; an entry
// alone over the limit gets a part of its own. Returns each part's end index.
template <class SizeOf>
std::vector<int> pack(int count, std::size_t max_bytes, SizeOf size_of) {
  std::vector<int> ends;
  std::size_t part_bytes = 0;
  for (int i = 0; i < count; ++i) {
    const std::size_t bytes = entry_bytes(size_of(i));
    if (part_bytes > 0 && part_bytes + bytes > max_bytes) {
      ends.push_back(i);
      part_bytes = 0;
    }
    part_bytes += bytes;
  }
  if (count > 0) ends.push_back(count);
  return ends;
}

std::int32_t parse_version(const std::vector<RecordHeader>& headers, std::string& error) {
  for (const RecordHeader& h : headers) {
    if (h.key != kRecordVersionHeader) continue;
    if (h.value.size() != 4) {
      error = fmt::format("record: Version header of {} bytes, want 4", h.value.size());
      return -1;
    }
    std::uint32_t v = 0;
    for (char c : h.value) v = (v << 8) | static_cast<std::uint8_t>(c);
    return static_cast<std::int32_t>(v);
  }
  return 0;
}

}  // namespace

RecordHeader record_version_header(std::int32_t version) {
  const auto v = static_cast<std::uint32_t>(version);
  std::string bytes;
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>((v >> shift) & 0xffU));
  return RecordHeader{std::string(kRecordVersionHeader), std::move(bytes)};
}

std::vector<IngestRecord> encode_records(std::string_view tenant, const prometheus::WriteRequest& request,
                                         std::size_t max_record_bytes) {
  if (max_record_bytes == 0) throw std::invalid_argument("max_record_bytes must be positive");
  if (tenant.empty()) throw std::invalid_argument("a record needs a tenant id");
  std::vector<IngestRecord> records;
  if (const std::size_t size = request.ByteSizeLong(); size <= max_record_bytes) {
    records.push_back(make_record(tenant, request, size));
    return records;
  }
  const auto& series = request.timeseries();
  int begin = 0;
  for (int end : pack(series.size(), max_record_bytes, [&](int i) { return series.Get(i).ByteSizeLong(); })) {
    prometheus::WriteRequest part;
    part.mutable_timeseries()->Reserve(end - begin);
    for (int i = begin; i < end; ++i) *part.add_timeseries() = series.Get(i);
    records.push_back(make_record(tenant, part, part.ByteSizeLong()));
    begin = end;
  }
  const auto& metadata = request.metadata();
  begin = 0;
  for (int end : pack(metadata.size(), max_record_bytes, [&](int i) { return metadata.Get(i).ByteSizeLong(); })) {
    prometheus::WriteRequest part;
    for (int i = begin; i < end; ++i) *part.add_metadata() = metadata.Get(i);
    records.push_back(make_record(tenant, part, part.ByteSizeLong()));
    begin = end;
  }
  return records;
}

DecodeResult<std::int32_t> decodable_record_version(std::string_view key, const std::vector<RecordHeader>& headers) {
  if (key.empty()) return DecodeError{"record: empty key (no tenant id)"};
  std::string error;
  const std::int32_t version = parse_version(headers, error);
  if (!error.empty()) return DecodeError{std::move(error)};
  if (version == 2) return DecodeError{"record: version 2 (remote-write 2.0 symbols) is not modelled"};
  if (version != 0 && version != 1) return DecodeError{fmt::format("record: unknown record version {}", version)};
  return version;
}

DecodeResult<DecodedRecord> decode_record(std::string_view key, std::string_view value,
                                          const std::vector<RecordHeader>& headers) {
  auto version = decodable_record_version(key, headers);
  if (!version) return version.error();
  auto request = parse_write_request(value);
  if (!request) return request.error().in("record");
  return DecodedRecord{std::string(key), version.value(), std::move(request).value()};
}

}  // namespace weir::models::mimir
