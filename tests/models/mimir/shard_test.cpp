#include <catch2/catch.hpp>

#include "weir/models/mimir/shard.h"

namespace mimir = weir::models::mimir;

namespace {

prometheus::WriteRequest one_series(std::initializer_list<std::pair<const char*, const char*>> labels) {
  prometheus::WriteRequest r;
  auto* ts = r.add_timeseries();
  for (const auto& [n, v] : labels) {
    auto* l = ts->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  return r;
}

}  // namespace

TEST_CASE("fnv1_32 is FNV-1 (multiply then xor), not FNV-1a") {
  CHECK(mimir::fnv1_32_add(mimir::kFnv1Offset32, "") == 0x811c9dc5U);
  CHECK(mimir::fnv1_32_add(mimir::kFnv1Offset32, "a") == 0x050c5d7eU);  // FNV-1a("a") would be 0xe40c292c
  CHECK(mimir::fnv1_32_add(mimir::kFnv1Offset32, "foobar") == 0x31f0b262U);
}

TEST_CASE("shard_token hashes tenant, then each name and value, with no separators") {
  const auto req = one_series({{"__name__", "up"}, {"job", "node"}});
  const auto& labels = req.timeseries(0).labels();
  const std::uint32_t expected = mimir::fnv1_32_add(mimir::kFnv1Offset32, "tenant-1__name__upjobnode");
  CHECK(mimir::shard_token("tenant-1", labels) == expected);
  CHECK(mimir::shard_token("tenant-1", mimir::to_labels(labels)) == expected);
  // Order matters (Mimir: "different values for different order of same labels").
  const auto swapped = one_series({{"job", "node"}, {"__name__", "up"}});
  CHECK(mimir::shard_token("tenant-1", swapped.timeseries(0).labels()) != expected);
}

TEST_CASE("metadata shards by tenant then metric family name") {
  CHECK(mimir::metadata_token("t", "http_requests_total") ==
        mimir::fnv1_32_add(mimir::kFnv1Offset32, "thttp_requests_total"));
  const auto req = one_series({{"__name__", "http_requests_total"}});
  // With only the metric name label, the series token also covers the label name.
  CHECK(mimir::metadata_token("t", "http_requests_total") != mimir::shard_token("t", req.timeseries(0).labels()));
}

TEST_CASE("series_id separates fields and folds in the tenant") {
  const mimir::Labels a{{"ab", "c"}};
  const mimir::Labels b{{"a", "bc"}};
  CHECK(mimir::series_id("t", a) != mimir::series_id("t", b));
  CHECK(mimir::series_id("t1", a) != mimir::series_id("t2", a));
  CHECK(mimir::series_id("t", a) == mimir::series_id("t", mimir::Labels{{"ab", "c"}}));
  const auto req = one_series({{"ab", "c"}});
  CHECK(mimir::series_id("t", req.timeseries(0).labels()) == mimir::series_id("t", a));
}
