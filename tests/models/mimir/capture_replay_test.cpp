#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "weir/models/capture_stats.h"
#include "weir/models/mimir/capture_replay_client.h"
#include "weir/models/mimir/ingest_record.h"
#include "write_path_fixture.h"

namespace mimir = weir::models::mimir;
namespace properties = weir::properties;
using mimir::testing::WritePathFixture;
using weir::sim::Duration;

namespace {

const char* const kCaptures = WEIR_TESTDATA_DIR "/remote-write/prometheus-2.42-self";

mimir::CaptureSet captures() {
  static const mimir::CaptureSet set = [] {
    auto loaded = mimir::load_capture_set(kCaptures);
    REQUIRE(loaded.ok());
    return loaded.value();
  }();
  return set;
}

bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST_CASE("capture sets load every request in order", "[mimir][capture_replay]") {
  REQUIRE(captures()->size() == 27);
  CHECK(captures()->front().timeseries_size() == 353);
  CHECK_FALSE(mimir::load_capture_set("/nonexistent/folder").ok());
  mimir::CaptureReplayOptions options;
  CHECK(options.validate());  // no captures, no distributor
}

TEST_CASE("capture replay pushes all 27 requests: 10,597 samples acked", "[mimir][capture_replay]") {
  WritePathFixture f;
  f.add_distributor();
  f.sim.run_for(Duration::seconds(100));  // replay starts at 100 s of simulated time
  mimir::CaptureReplayOptions options;
  options.captures = captures();
  options.remote_write.distributors = f.distributors;
  const auto node = f.add_client("replay-0", mimir::CaptureReplayClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(60));
  auto& replay = f.sim.node(node).process_as<mimir::CaptureReplayClient>();
  REQUIRE(replay.finished());
  CHECK(replay.stats().requests_sent == 27);
  CHECK(replay.remote_write_stats().batches_acked == 27);
  CHECK(replay.remote_write_stats().samples_acked == 10'597);

  // The history lists the capture's own values, at timestamps shifted to the simulated clock.
  REQUIRE(f.history.writes().size() == 27);
  std::uint64_t recorded = 0;
  const auto& first = f.history.writes()[0];
  for (const auto& write : f.history.writes()) {
    CHECK(write.outcome == properties::WriteOutcome::acked);
    for (const auto& run : write.samples) {
      CHECK(run.values.size() == run.count);
      CHECK(run.first_ms >= 100'000);
      CHECK(run.first_ms < 160'000);
      recorded += run.count;
    }
  }
  CHECK(recorded == 10'597);
  const auto& capture_series = captures()->front().timeseries(0);
  const auto id = mimir::series_id("tenant-1", capture_series.labels());
  bool found = false;
  for (const auto& run : first.samples) {
    if (run.series != id) continue;
    found = true;
    CHECK(same_value(run.values[0], capture_series.samples(0).value()));
  }
  CHECK(found);

  // Every sample reached the log.
  std::uint64_t logged = 0;
  for (const auto& records : f.log_records()) {
    for (const auto& fetched : records) {
      std::vector<mimir::RecordHeader> headers;
      for (const auto& h : fetched.record.headers) headers.push_back({h.key, h.value});
      auto decoded = mimir::decode_record(fetched.record.key, fetched.record.value, headers);
      REQUIRE(decoded.ok());
      for (const auto& series : decoded.value().request.timeseries()) logged += series.samples_size();
    }
  }
  CHECK(logged == 10'597);
}

TEST_CASE("capture replay without pacing sends back to back", "[mimir][capture_replay]") {
  WritePathFixture f;
  f.add_distributor();
  mimir::CaptureReplayOptions options;
  options.captures = captures();
  options.pace_by_timestamps = false;
  options.remote_write.distributors = f.distributors;
  const auto node = f.add_client("replay-0", mimir::CaptureReplayClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(5));
  CHECK(f.sim.node(node).process_as<mimir::CaptureReplayClient>().finished());
  CHECK(f.history.writes().size() == 27);
}
