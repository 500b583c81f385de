// The pipeline's floor does the work it claims, once per copy: every
// request decoded, every sample appended in every zone's heads.
#include <catch2/catch.hpp>

#include "weir/scenarios/bench_floor.h"

using namespace weir::scenarios;

TEST_CASE("the pipeline floor decodes every request and appends every sample", "[bench]") {
  FloorWorkload w;
  w.clients = 3;
  w.series_per_client = 2500;  // two batches of 2000 and 500 per scrape
  w.scrapes = 4;
  w.partitions = 8;
  const FloorReport r = measure_pipeline_floor(w);
  CHECK(r.samples == 3u * 2500u * 4u);
  CHECK(r.samples_appended == r.samples * 2u);  // two ingester zones
  CHECK(r.requests == 3u * 2u * 4u);
  // Each request's series spread over the partitions: one record per
  // partition touched, at most all of them.
  CHECK(r.records > r.requests);
  CHECK(r.records <= r.requests * 8u);
  CHECK(r.wall_seconds > 0);
  CHECK(r.samples_per_wall_second > 0);
}
