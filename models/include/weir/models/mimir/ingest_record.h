// The Kafka records Mimir's distributor writes for ingest storage, and their
// decoding by the ingester (pkg/storage/ingest/writer.go, version.go and
// pkg/mimirpb/split.go).
//
// A record's key is the tenant id; its value is a serialized WriteRequest.
// The record version travels in a Kafka record header "Version" holding a
// 4-byte big-endian integer; a record without it is version 0. Versions 0
// and 1 carry the same value (a remote-write 1.0 WriteRequest); version 2
// (Mimir 3.1's default) re-encodes it as remote-write 2.0 with a shared
// symbol table, which weir does not model: decode_record reports it as
// unsupported. weir writes version 1. weir's kafka::Record has no headers
// (yet): a caller that cannot carry them passes none, and the record then
// decodes as version 0, the same bytes.
//
// A request bigger than max_record_bytes (Mimir's default
// -ingest-storage.kafka.producer-max-record-size-bytes = 16,000,000 - 16,384
// = 15,983,616) is split at series boundaries: the series in order, packed
// greedily, then the metadata likewise in further records; a single series
// over the limit gets a record of its own (best effort, as Mimir). Unlike
// Mimir, which leaves out each entry's field tag and length when checking the
// limit, weir counts them, so a record of several entries never exceeds it.
//
// Contract: pure functions; decoding never throws for bad input, it returns a
// DecodeError naming the problem ("record: ..."); the ingester counts and
// skips such records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/decode_result.h"
#include "weir/models/proto/remote_write.pb.h"

namespace weir::models::mimir {

inline constexpr std::size_t kDefaultMaxRecordBytes = 16'000'000 - 16'384;
inline constexpr std::string_view kRecordVersionHeader = "Version";
inline constexpr std::int32_t kRecordVersionWritten = 1;

struct RecordHeader {
  std::string key;
  std::string value;
  bool operator==(const RecordHeader&) const = default;
};

struct IngestRecord {
  std::string key;    // the tenant id
  std::string value;  // a serialized prometheus.WriteRequest
  std::vector<RecordHeader> headers;  // {"Version", 4 bytes big-endian}
};

struct DecodedRecord {
  std::string tenant;
  std::int32_t version = 0;
  prometheus::WriteRequest request;
};

RecordHeader record_version_header(std::int32_t version);

// Throws std::invalid_argument if max_record_bytes is 0 or tenant is empty.
std::vector<IngestRecord> encode_records(std::string_view tenant, const prometheus::WriteRequest& request,
                                         std::size_t max_record_bytes = kDefaultMaxRecordBytes);

// The version of a record that can be decoded (key and headers well formed,
// version 0 or 1), or why it cannot.
DecodeResult<std::int32_t> decodable_record_version(std::string_view key, const std::vector<RecordHeader>& headers);

DecodeResult<DecodedRecord> decode_record(std::string_view key, std::string_view value,
                                          const std::vector<RecordHeader>& headers = {});

}  // namespace weir::models::mimir
