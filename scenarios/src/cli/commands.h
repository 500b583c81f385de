// The `weir` subcommands. Each takes its parsed, validated options, prints
// its output to stdout (errors to stderr) and returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "weir/replay/timeline.h"
#include "weir/scenarios/log_flavour.h"

namespace weir::cli {

struct RunCommand {
  std::string scenario;               // a built-in's name or a spec file
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  std::uint64_t seed = 0;
  bool json = false;
  std::string trace;  // non-empty: also write the run's trace file there
  std::string expect;  // --expect pass|fail: overrides the spec's expect.verdict
};
int run(const RunCommand& command);
// `overrides` with --expect's value as the override it stands for
// (expect.verdict=PASS|FAIL, last so that it wins), for the reproduction line.
std::vector<std::string> with_expect(std::vector<std::string> overrides, const std::string& expect);

// Re-runs a trace file's recorded spec and seed and compares every event
// (exit 0 all match, 3 a divergence, 65 an unreadable file); `overrides`
// are applied to the recorded spec first, a what-if (exit 64 for one that
// does not apply); with `check`, runs the checkers on the stored history
// instead (exit as `weir run`); with `timeline`, prints the recorded events
// that pass `filter` (exit 0, 64 bad bounds, 65 an unreadable file) and runs
// nothing; with `export_chrome`, writes those events as a Chrome trace (JSON
// for Perfetto) to that file, atomically (exit 65 when it cannot be written),
// and runs nothing.
struct ReplayCommand {
  std::string file;
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  bool check = false;
  bool timeline = false;
  std::string export_chrome;  // non-empty: the Chrome trace's path
  replay::TimelineFilter filter;
};
int replay(const ReplayCommand& command);
// The export_chrome part of replay; in export_chrome_command.cpp.
int export_chrome(const replay::TraceFile& file, const ReplayCommand& command);

// Tells the story of one violation of a trace file (replay/explain.h): its
// evidence, the records it is about, the domain events that touch them, and
// the last moment it could still have been avoided. Reads the file only.
// Exit: 0 when it told a story; 64 when the trace has no violation (nothing
// to explain) or --violation is past the last one; 65 an unreadable file.
// In explain_command.cpp.
struct ExplainCommand {
  std::string file;
  std::size_t violation = 1;  // 1-based, in the run's report order
  bool json = false;
};
int explain(const ExplainCommand& command);

struct SweepCommand {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string seeds;  // "A:B"
  std::string shard = "0/1";
  int jobs = 1;
  double recheck_ratio = 0.05;
  bool json = false;
  std::string junit;  // non-empty: also write a JUnit XML report there
  std::string expect;  // --expect pass|fail: overrides the spec's expect.verdict
};
int sweep(const SweepCommand& command);

// Runs the same seeds against two scenarios (exactly two --scenario; often
// the same one twice, told apart by --set-a / --set-b) and prints them side
// by side. Exit: the worse of the two sides' exit codes, as sweep ranks
// them; 64 bad usage, 65 a spec that does not load. In compare_command.cpp.
struct CompareCommand {
  std::vector<std::string> scenarios;  // --scenario, A then B
  std::vector<std::string> overrides_a;  // --set-a PATH=VALUE, in order
  std::vector<std::string> overrides_b;  // --set-b PATH=VALUE, in order
  std::string seeds;  // "A:B"
  int jobs = 1;
  double recheck_ratio = 0.05;
  bool json = false;
};
int compare(const CompareCommand& command);

// Cuts a failing seed's fault schedule down to the faults that matter
// (scenarios::shrink_failure) and prints it with its verdict and the line
// that reproduces it. Exit: the shrunk run's (1, 2 or 3); 0 when the seed's
// run passed; 3 when its schedule, cut to whole milliseconds, no longer fails
// the same way; 64 bad usage (or a built-in without a spec), 65 a spec that
// does not load. In shrink_command.cpp.
struct ShrinkCommand {
  std::string scenario;
  std::vector<std::string> overrides;  // --set PATH=VALUE, in order
  std::uint64_t seed = 0;
  int runs_max = 100;  // pipeline runs at most
  bool json = false;
};
int shrink(const ShrinkCommand& command);

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
  scenarios::LogFlavour flavour = scenarios::LogFlavour::classic;
  int partitions = 16;
  int producers = 3;
  int seconds = 60;
  int record_interval_us = 1000;
  std::uint64_t seed = 1;
  bool json = false;
};
int bench_log(const BenchLogCommand& command);

struct BenchPipelineCommand {
  scenarios::LogFlavour flavour = scenarios::LogFlavour::classic;
  int series = 10'000;  // over all clients
  int partitions = 16;
  int seconds = 300;
  int scrape_interval_s = 15;  // Prometheus' usual interval
  // The classic log's retention.ms in seconds (0: keep every record) and
  // log.segment.bytes (Kafka's 1 GiB by default).
  int retention_s = 0;
  std::int64_t segment_bytes = std::int64_t{1} << 30;
  int retention_check_s = 300;  // log.retention.check.interval.ms (Kafka: 5 min)
  std::uint64_t seed = 1;
  bool json = false;
};
int bench_pipeline(const BenchPipelineCommand& command);

// The process's peak resident set so far, in MiB (the bench commands print it).
double peak_rss_mib();

// Runs any spec scenario `repeats` times with one seed (each run checked to
// give the same trace hash) and prints the fastest run's simulated seconds
// per wall second and events per wall second, and the process's peak RSS.
// Exit codes as `weir run` (3 also when two runs differ). In bench_scenario_command.cpp.
struct BenchScenarioCommand {
  std::string scenario = "baseline-classic";
  std::vector<std::string> overrides;
  std::uint64_t seed = 1;
  int repeats = 3;
  bool json = false;
};
int bench_scenario(const BenchScenarioCommand& command);

// Runs a spec scenario traced to a temporary file, then replays the file;
// prints both wall times and their ratio (exit 0 the replay matched, 3 it
// did not, 64 bad usage, 65 a spec or trace that does not load or write).
// In bench_replay_command.cpp.
struct BenchReplayCommand {
  std::string scenario = "chaos-classic";
  std::uint64_t seed = 1;
  int seconds = 60;  // the safety phase, simulated (phases.safety_ms)
  // Run-then-replay pairs; each side's fastest is reported. More than one,
  // so that the first run's cold start (a fresh heap) does not flatter the replay.
  int repeats = 5;
  bool json = false;
};
int bench_replay(const BenchReplayCommand& command);

}  // namespace weir::cli
