// SeriesMerge: merges the samples of several sources (heads, blocks,
// ingesters, store-gateways) into one query result, with one sample per
// (series, timestamp): the first source to offer a timestamp wins, as in
// Mimir's querier, which deduplicates the replicas' identical samples.
//
// Contract: add sources in order of preference; results() lists the series
// in ascending id with samples in ascending timestamp, and leaves out series
// that received no sample. A plain value; deterministic (ordered maps).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "weir/models/mimir/types.h"
#include "weir/properties/read.h"

namespace weir::models::mimir {

class SeriesMerge {
 public:
  void add(SeriesId series, std::span<const Sample> samples) {
    if (samples.empty()) return;
    auto& merged = series_[series];
    for (const Sample& s : samples) merged.emplace(s.timestamp_ms, s.value);
  }

  void add(const properties::SeriesResult& result) {
    if (result.samples.empty()) return;
    auto& merged = series_[result.series];
    for (const properties::Sample& s : result.samples) merged.emplace(s.ts_ms, s.value);
  }

  std::vector<properties::SeriesResult> results() const {
    std::vector<properties::SeriesResult> out;
    out.reserve(series_.size());
    for (const auto& [id, samples] : series_) {
      properties::SeriesResult r{id, {}};
      r.samples.reserve(samples.size());
      for (const auto& [ts, value] : samples) r.samples.push_back(properties::Sample{ts, value});
      out.push_back(std::move(r));
    }
    return out;
  }

  std::uint64_t sample_count() const {
    std::uint64_t n = 0;
    for (const auto& [id, samples] : series_) n += samples.size();
    return n;
  }

 private:
  std::map<SeriesId, std::map<TimestampMs, double>> series_;
};

// Traffic class of query requests and answers in the network's accounting.
inline constexpr std::string_view kTrafficQuery = "query";

// Bytes of a query answer on the wire (a rough protobuf size), and a digest
// of its contents for the trace.
std::uint64_t result_wire_bytes(const std::vector<properties::SeriesResult>& series);
std::uint64_t result_digest(const std::vector<properties::SeriesResult>& series);

}  // namespace weir::models::mimir
