// `weir bench scenario`: one spec scenario end to end, timed (simulated
// seconds per wall second, as docs/benchmarks.md reports them).
#include <sys/resource.h>

#include <cstdio>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "resolve.h"

namespace weir::cli {
namespace {

void print(const BenchScenarioCommand& command, const scenarios::RunResult& fastest, double rss_mib) {
  const double speed = fastest.sim_seconds / fastest.wall_seconds;
  const double events_per_second = static_cast<double>(fastest.events) / fastest.wall_seconds;
  if (command.json) {
    const nlohmann::json j = {
        {"benchmark", "scenario"},
        {"scenario", fastest.scenario},
        {"seed", fastest.seed},
        {"repeats", command.repeats},
        {"trace_hash", fmt::format("{:016x}", fastest.trace_hash)},
        {"exit_code", fastest.exit_code()},
        {"sim_seconds", fastest.sim_seconds},
        {"wall_seconds", fastest.wall_seconds},
        {"events", fastest.events},
        {"sim_seconds_per_wall_second", speed},
        {"events_per_wall_second", events_per_second},
        {"peak_rss_mib", rss_mib},
    };
    fmt::print("{}\n", j.dump());
    return;
  }
  fmt::print("scenario {} (seed {}): {:.1f} sim s, {} events, fastest of {} in {:.3f} wall s\n", fastest.scenario,
             fastest.seed, fastest.sim_seconds, fastest.events, command.repeats, fastest.wall_seconds);
  fmt::print("  sim seconds per wall second  {:>12.1f}\n", speed);
  fmt::print("  events per wall second       {:>12.0f}\n", events_per_second);
  fmt::print("  peak RSS                     {:>12.1f} MiB\n", rss_mib);
  fmt::print("  verdict                      {:>12}  trace_hash {:016x}\n",
             fastest.exit_code() == scenarios::exit_code::ok ? "PASS" : "FAIL", fastest.trace_hash);
}

}  // namespace

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

int bench_scenario(const BenchScenarioCommand& command) {
  auto resolved = resolve(command.scenario, command.overrides);
  if (const int* code = std::get_if<int>(&resolved)) return *code;
  const Resolved& scenario = std::get<Resolved>(resolved);
  scenarios::RunResult fastest = scenario.run(command.seed);
  for (int i = 1; i < command.repeats; ++i) {
    scenarios::RunResult again = scenario.run(command.seed);
    if (again.trace_hash != fastest.trace_hash) {
      fmt::print(stderr, "weir: seed {} ran twice with different trace hashes ({:016x}, {:016x})\n", command.seed,
                 fastest.trace_hash, again.trace_hash);
      return scenarios::exit_code::simulator_failed;
    }
    if (again.wall_seconds < fastest.wall_seconds) fastest = std::move(again);
  }
  print(command, fastest, peak_rss_mib());
  std::fflush(stdout);
  return fastest.exit_code();
}

}  // namespace weir::cli
