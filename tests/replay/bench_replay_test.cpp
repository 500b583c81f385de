// The replay benchmark: a traced run and its replay match, the figures are
// filled in, repeated pairs give the same hash, and the temporary trace is
// gone afterwards.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "weir/scenarios/bench_replay.h"

TEST_CASE("bench replay replays its own run and removes the trace") {
  const auto folder = std::filesystem::temp_directory_path() / "weir-bench-replay-test";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  weir::scenarios::ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-diskless"));
  REQUIRE_FALSE(loader.set("log.partitions=2"));
  REQUIRE_FALSE(loader.set("phases.safety_ms=20000"));

  const auto r = weir::scenarios::run_bench_replay(loader, {.seed = 5, .repeats = 1, .folder = folder.string()});
  REQUIRE_FALSE(r.error);
  CHECK(r.matched);
  CHECK(r.divergence_lines.empty());
  CHECK(r.events > 1000);
  CHECK(r.trace_bytes > 1000);
  CHECK(r.run_wall_seconds > 0);
  CHECK(r.replay_wall_seconds >= r.read_wall_seconds);
  CHECK(r.replay_vs_run == Approx(r.replay_wall_seconds / r.run_wall_seconds));
  CHECK(std::filesystem::is_empty(folder));

  // Repeated: every pair runs the same seed to the same hash, and the
  // figures are the fastest of each side.
  const auto again = weir::scenarios::run_bench_replay(loader, {.seed = 5, .repeats = 2, .folder = folder.string()});
  REQUIRE_FALSE(again.error);
  CHECK(again.matched);
  CHECK(again.run.trace_hash == r.run.trace_hash);
  CHECK(again.events == r.events);
  CHECK(std::filesystem::is_empty(folder));
  std::filesystem::remove_all(folder);
}

TEST_CASE("bench replay reports a folder it cannot write to") {
  weir::scenarios::ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-diskless"));
  const weir::scenarios::BenchReplayOptions options{.seed = 1, .repeats = 1, .folder = "/nonexistent/weir-folder"};
  const auto r = weir::scenarios::run_bench_replay(loader, options);
  REQUIRE(r.error);
  CHECK(r.error->find("/nonexistent/weir-folder") != std::string::npos);
}

TEST_CASE("bench replay options are validated") {
  CHECK_FALSE(weir::scenarios::BenchReplayOptions{}.validate());
  CHECK(weir::scenarios::BenchReplayOptions{.seed = 1, .repeats = 0, .folder = {}}.validate());
}
