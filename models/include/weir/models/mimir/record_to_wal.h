// decode_record_as_wal: what an ingester makes of a fetched Kafka record, the
// WalRecord it logs and applies to its heads.
//
// It equals TenantHeads::to_wal_record(tenant, decode_record(...).request,
// offset) for every input, and fails with decode_record's error where that
// fails. Well-formed records of labels and samples (all that weir's
// distributor writes) are read straight from the bytes, without building
// protobuf objects: the ingester's share of the pipeline's cost per sample.
// Anything else (exemplars, histograms, metadata, unknown fields, odd
// encodings, bad bytes) goes through protobuf, so the two paths cannot
// disagree on what they accept.
//
// Contract: a pure function; never throws for bad input.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "weir/models/decode_result.h"
#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/wal_record.h"

namespace weir::models::mimir {

DecodeResult<WalRecord> decode_record_as_wal(std::string_view key, std::string_view value,
                                             const std::vector<RecordHeader>& headers, std::int64_t offset);

}  // namespace weir::models::mimir
