#include "weir/models/mimir/shard.h"

namespace weir::models::mimir {
namespace {

constexpr std::uint64_t kFnv1aOffset64 = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnv1aPrime64 = 0x100000001b3ULL;
constexpr unsigned char kSeparator = 0xff;

std::uint32_t add_label(std::uint32_t token, std::string_view name, std::string_view value) {
  return fnv1_32_add(fnv1_32_add(token, name), value);
}

// FNV-1a 64 of `bytes`, then the separator.
std::uint64_t add_field(std::uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnv1aPrime64;
  }
  hash ^= kSeparator;
  return hash * kFnv1aPrime64;
}

}  // namespace

Labels to_labels(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  Labels out;
  out.reserve(static_cast<std::size_t>(labels.size()));
  for (const prometheus::Label& l : labels) out.push_back(Label{l.name(), l.value()});
  return out;
}

std::uint32_t shard_token(std::string_view tenant,
                          const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  std::uint32_t token = fnv1_32_add(kFnv1Offset32, tenant);
  for (const prometheus::Label& l : labels) token = add_label(token, l.name(), l.value());
  return token;
}

std::uint32_t shard_token(std::string_view tenant, const Labels& labels) {
  std::uint32_t token = fnv1_32_add(kFnv1Offset32, tenant);
  for (const Label& l : labels) token = add_label(token, l.name, l.value);
  return token;
}

std::uint32_t metadata_token(std::string_view tenant, std::string_view metric_family_name) {
  return fnv1_32_add(fnv1_32_add(kFnv1Offset32, tenant), metric_family_name);
}

SeriesId series_id(std::string_view tenant, const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  std::uint64_t id = add_field(kFnv1aOffset64, tenant);
  for (const prometheus::Label& l : labels) id = add_field(add_field(id, l.name()), l.value());
  return id;
}

SeriesId series_id(std::string_view tenant, const Labels& labels) {
  std::uint64_t id = add_field(kFnv1aOffset64, tenant);
  for (const Label& l : labels) id = add_field(add_field(id, l.name), l.value);
  return id;
}

}  // namespace weir::models::mimir
