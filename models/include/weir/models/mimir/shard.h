// Series sharding as Mimir's distributor does it, and weir's series identity.
//
// shard_token: Mimir's mimirpb.ShardBySeriesLabelAdapters (pkg/mimirpb/
// series_sharding.go, hash in pkg/mimirpb/fnv.go): 32-bit FNV-1 (multiply,
// then xor: not FNV-1a), offset basis 2166136261, prime 16777619, over the
// bytes of the tenant id, then of each label name and value in the given
// order, with no separators. The token is looked up on the partition ring.
// metadata_token: mimirpb.ShardByMetricName, the same hash over the tenant id
// then the metric family name.
// (FNV-1 ends with an xor of the last byte, so inputs differing only in their
// last byte get tokens differing only in the low 8 bits, i.e. almost always
// the same partition. Real label sets rarely end in a varying byte.)
//
// series_id: weir's 64-bit SeriesId of (tenant, labels), used by the history
// and checkers and as the head's series key. Not a Mimir fact: FNV-1a 64 with
// 0xff separators (a byte that valid UTF-8 never holds), so ("ab","c") and
// ("a","bc") differ.
#pragma once

#include <cstdint>
#include <string_view>

#include <google/protobuf/repeated_ptr_field.h>

#include "weir/models/mimir/types.h"
#include "weir/models/proto/remote_write.pb.h"

namespace weir::models::mimir {

inline constexpr std::uint32_t kFnv1Offset32 = 2166136261U;
inline constexpr std::uint32_t kFnv1Prime32 = 16777619U;

// FNV-1 32 of `bytes` continuing from `hash`.
constexpr std::uint32_t fnv1_32_add(std::uint32_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash *= kFnv1Prime32;
    hash ^= static_cast<unsigned char>(c);
  }
  return hash;
}

std::uint32_t shard_token(std::string_view tenant,
                          const google::protobuf::RepeatedPtrField<prometheus::Label>& labels);
std::uint32_t shard_token(std::string_view tenant, const Labels& labels);
std::uint32_t metadata_token(std::string_view tenant, std::string_view metric_family_name);

SeriesId series_id(std::string_view tenant, const google::protobuf::RepeatedPtrField<prometheus::Label>& labels);
SeriesId series_id(std::string_view tenant, const Labels& labels);

}  // namespace weir::models::mimir
