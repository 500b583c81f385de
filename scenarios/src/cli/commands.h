// The `weir` subcommands. Each takes its parsed, validated options, prints
// its output to stdout (errors to stderr) and returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "weir/replay/timeline.h"

namespace weir::cli {

struct RunCommand {
  std::string scenario;               // a built-in's name or a spec file
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  std::uint64_t seed = 0;
  bool json = false;
  std::string trace;  // non-empty: also write the run's trace file there
};
int run(const RunCommand& command);

// Re-runs a trace file's recorded spec and seed and compares every event
// (exit 0 all match, 3 a divergence, 65 an unreadable file); with `check`,
// runs the checkers on the stored history instead (exit as `weir run`); with
// `timeline`, prints the recorded events that pass `filter` (exit 0, 64 bad
// bounds, 65 an unreadable file) and runs nothing.
struct ReplayCommand {
  std::string file;
  bool check = false;
  bool timeline = false;
  replay::TimelineFilter filter;
};
int replay(const ReplayCommand& command);

struct SweepCommand {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string seeds;  // "A:B"
  std::string shard = "0/1";
  int jobs = 1;
  double recheck_ratio = 0.05;
  bool json = false;
  std::string junit;  // non-empty: also write a JUnit XML report there
};
int sweep(const SweepCommand& command);

int list_scenarios();

struct CaptureStatsCommand {
  std::string folder;
  bool json = false;
};
int capture_stats(const CaptureStatsCommand& command);

struct BenchCoreCommand {
  int actors = 1000;
  int sleeps = 1000;
  bool json = false;
};
int bench_core(const BenchCoreCommand& command);

struct BenchLogCommand {
  std::string flavour = "classic";
  int partitions = 16;
  int producers = 3;
  int seconds = 60;
  int record_interval_us = 1000;
  std::uint64_t seed = 1;
  bool json = false;
};
int bench_log(const BenchLogCommand& command);

struct BenchPipelineCommand {
  std::string flavour = "classic";
  int series = 10'000;
  int seconds = 300;
  std::uint64_t seed = 1;
  bool json = false;
};
int bench_pipeline(const BenchPipelineCommand& command);

}  // namespace weir::cli
