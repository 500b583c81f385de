// Byte encodings of the diskless log: a batch of records (as stored in an
// object or a WAL entry) and a WAL entry file. Pure functions; decoding
// returns nothing on malformed or truncated input (a torn WAL write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/kafka/protocol.h"

namespace weir::models::kafka::diskless {

std::string encode_records(const std::vector<Record>& records);
std::optional<std::vector<Record>> decode_records(std::string_view bytes);

// One batch of a WAL entry: which partition, how many records, where in the body.
struct WalBatch {
  std::string topic;
  std::int32_t partition = 0;
  std::int32_t record_count = 0;
  std::uint64_t byte_offset = 0;
  std::uint64_t byte_length = 0;
};

struct WalEntry {
  std::string id;
  std::vector<WalBatch> batches;
  std::string body;  // the batches' encoded records, back to back
};

std::string encode_wal_entry(const WalEntry& entry);
std::optional<WalEntry> decode_wal_entry(std::string_view bytes);

}  // namespace weir::models::kafka::diskless
