// `weir bench replay`: the scenario loaded and shortened here, the timing in
// scenarios::run_bench_replay.
#include <cstdio>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "resolve.h"
#include "weir/scenarios/bench_replay.h"
#include "weir/scenarios/scenario_spec.h"

namespace weir::cli {
namespace {

void print_json(const BenchReplayCommand& command, const scenarios::BenchReplayReport& r) {
  const nlohmann::json j = {
      {"benchmark", "replay"},
      {"scenario", r.run.scenario},
      {"seed", command.seed},
      {"safety_seconds", command.seconds},
      {"repeats", command.repeats},
      {"sim_seconds", r.run.sim_seconds},
      {"events", r.events},
      {"trace_bytes", r.trace_bytes},
      {"run_wall_seconds", r.run_wall_seconds},
      {"run_cpu_seconds", r.run_cpu_seconds},
      {"read_wall_seconds", r.read_wall_seconds},
      {"replay_wall_seconds", r.replay_wall_seconds},
      {"replay_cpu_seconds", r.replay_cpu_seconds},
      {"replay_vs_run", r.replay_vs_run},
      {"matched", r.matched},
      {"divergence", r.divergence_lines},
      {"trace_hash", fmt::format("{:016x}", r.run.trace_hash)},
      {"run_exit_code", r.run.exit_code()},
  };
  fmt::print("{}\n", j.dump());
}

void print_text(const BenchReplayCommand& command, const scenarios::BenchReplayReport& r) {
  fmt::print("replay ({}, seed {}, {} s safety phase): {:.1f} sim s, {} events, trace {:.1f} MiB\n", r.run.scenario,
             command.seed, command.seconds, r.run.sim_seconds, r.events,
             static_cast<double>(r.trace_bytes) / (1024.0 * 1024.0));
  fmt::print("  fastest of {} each\n", command.repeats);
  fmt::print("  run, writing the trace         {:>8.3f} wall s  {:>8.3f} cpu s\n", r.run_wall_seconds,
             r.run_cpu_seconds);
  fmt::print("  replay, reading and comparing  {:>8.3f} wall s  {:>8.3f} cpu s  (reading {:.3f} wall s)\n",
             r.replay_wall_seconds, r.replay_cpu_seconds, r.read_wall_seconds);
  fmt::print("  replay / run                   {:>8.2f}\n", r.replay_vs_run);
  fmt::print("  replay                         {:>8}  trace_hash {:016x}\n", r.matched ? "matched" : "DIVERGED",
             r.run.trace_hash);
  for (const auto& line : r.divergence_lines) fmt::print("  {}\n", line);
}

}  // namespace

int bench_replay(const BenchReplayCommand& command) {
  // The safety phase set as an override, as `--set phases.safety_ms=...` would.
  auto resolved = resolve(command.scenario, {fmt::format("phases.safety_ms={}", command.seconds * 1000)});
  if (const int* code = std::get_if<int>(&resolved)) return *code;
  const scenarios::ScenarioLoader& loader = *std::get<Resolved>(resolved).loader;
  const scenarios::BenchReplayOptions options{.seed = command.seed, .repeats = command.repeats, .folder = {}};
  if (auto error = options.validate()) {
    fmt::print(stderr, "weir: --repeat: {}\n", *error);
    return scenarios::exit_code::bad_usage;
  }
  const scenarios::BenchReplayReport r = scenarios::run_bench_replay(loader, options);
  if (r.error) {
    fmt::print(stderr, "weir: {}\n", *r.error);
    return scenarios::exit_code::bad_input;
  }
  if (command.json) {
    print_json(command, r);
  } else {
    print_text(command, r);
  }
  std::fflush(stdout);
  return r.matched ? scenarios::exit_code::ok : scenarios::exit_code::simulator_failed;
}

}  // namespace weir::cli
