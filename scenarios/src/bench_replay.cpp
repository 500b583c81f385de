#include "weir/scenarios/bench_replay.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <variant>

#include <fmt/format.h>

#include "weir/replay/trace_reader.h"
#include "weir/scenarios/trace_run.h"

namespace weir::scenarios {
namespace {

// A fresh, uniquely named file, removed (with the writer's PATH.tmp) when
// the guard goes away.
class TempTrace {
 public:
  explicit TempTrace(const std::string& folder) {
    std::error_code ec;
    const std::filesystem::path dir =
        folder.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(folder);
    std::string pattern = (dir / "weir-bench-replay-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      error_ = fmt::format("{}: cannot create a temporary trace file", dir.string());
      return;
    }
    ::close(fd);
    path_ = pattern;
  }
  ~TempTrace() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::string writer_temp = path_;
    writer_temp.append(".tmp");
    std::filesystem::remove(writer_temp, ec);
  }
  TempTrace(const TempTrace&) = delete;
  TempTrace& operator=(const TempTrace&) = delete;

  const std::string& path() const { return path_; }
  const std::optional<std::string>& error() const { return error_; }

 private:
  std::string path_;
  std::optional<std::string> error_;
};

// Wall and CPU seconds since it was made.
class Stopwatch {
 public:
  double wall_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  }
  double cpu_seconds() const { return static_cast<double>(std::clock() - cpu_start_) / CLOCKS_PER_SEC; }

 private:
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  std::clock_t cpu_start_ = std::clock();
};

// One run recorded to `path`, then that file read back and replayed.
BenchReplayReport run_then_replay(const ScenarioLoader& loader, std::uint64_t seed, const std::string& path) {
  BenchReplayReport report;
  const Stopwatch run_clock;
  TracedRun traced = run_traced(loader, seed, path);
  report.run_wall_seconds = run_clock.wall_seconds();
  report.run_cpu_seconds = run_clock.cpu_seconds();
  report.run = std::move(traced.result);
  if (traced.error) {
    report.error = std::move(traced.error);
    return report;
  }
  std::error_code ec;
  report.trace_bytes = std::filesystem::file_size(path, ec);

  const Stopwatch replay_clock;
  auto read = replay::TraceReader::read(path);
  report.read_wall_seconds = replay_clock.wall_seconds();
  if (auto* error = std::get_if<std::string>(&read)) {
    report.error = std::move(*error);
    return report;
  }
  const replay::TraceFile& file = std::get<replay::TraceFile>(read);
  const ReplayReport replayed = replay_trace(file);
  report.replay_wall_seconds = replay_clock.wall_seconds();
  report.replay_cpu_seconds = replay_clock.cpu_seconds();
  if (replayed.error) {
    report.error = replayed.error;
    return report;
  }
  report.events = file.events.size();
  report.matched = replayed.ok();
  if (!report.matched) report.divergence_lines = replayed.divergence_lines();
  return report;
}

// Keeps `best`'s verdict and each side's fastest time of the two.
void keep_fastest(BenchReplayReport& best, const BenchReplayReport& once) {
  best.run_wall_seconds = std::min(best.run_wall_seconds, once.run_wall_seconds);
  best.run_cpu_seconds = std::min(best.run_cpu_seconds, once.run_cpu_seconds);
  best.read_wall_seconds = std::min(best.read_wall_seconds, once.read_wall_seconds);
  best.replay_wall_seconds = std::min(best.replay_wall_seconds, once.replay_wall_seconds);
  best.replay_cpu_seconds = std::min(best.replay_cpu_seconds, once.replay_cpu_seconds);
}

}  // namespace

std::optional<std::string> BenchReplayOptions::validate() const {
  if (repeats < 1) return fmt::format("repeats: must be at least 1, not {}", repeats);
  return std::nullopt;
}

BenchReplayReport run_bench_replay(const ScenarioLoader& loader, const BenchReplayOptions& options) {
  const TempTrace trace(options.folder);
  if (trace.error()) {
    BenchReplayReport failed;
    failed.error = trace.error();
    return failed;
  }
  BenchReplayReport best = run_then_replay(loader, options.seed, trace.path());
  for (int i = 1; i < options.repeats && !best.error && best.matched; ++i) {
    BenchReplayReport once = run_then_replay(loader, options.seed, trace.path());
    if (once.error || !once.matched) {
      best = once;
      break;
    }
    if (once.run.trace_hash != best.run.trace_hash) {
      // The same seed ran differently: the simulation is not deterministic.
      best.matched = false;
      best.divergence_lines = {fmt::format("run 1: trace_hash {:016x}", best.run.trace_hash),
                               fmt::format("run {}: trace_hash {:016x}", i + 1, once.run.trace_hash)};
      break;
    }
    keep_fastest(best, once);
  }
  if (best.run_wall_seconds > 0) best.replay_vs_run = best.replay_wall_seconds / best.run_wall_seconds;
  return best;
}

}  // namespace weir::scenarios
