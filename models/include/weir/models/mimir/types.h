// Vocabulary shared by the Mimir building blocks: a series' labels and a
// float sample, as the head, blocks and WAL store them.
//
// Contract: plain values. Labels are kept in the order the sender gave them
// (remote-write requires them sorted by name); nothing here sorts them.
// Sample timestamps are Prometheus milliseconds.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/types.h"

namespace weir::models::mimir {

using properties::SeriesId;
using properties::TimestampMs;

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
};
using Labels = std::vector<Label>;

// 16 bytes, stored by value in sorted vectors: no allocation per sample.
struct Sample {
  TimestampMs timestamp_ms = 0;
  double value = 0;
  bool operator==(const Sample&) const = default;
};

Labels to_labels(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels);

// Whether two sample values are the same bits, as Prometheus compares values
// to tell a duplicate from a conflict (NaN payloads and -0 included).
constexpr bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace weir::models::mimir
