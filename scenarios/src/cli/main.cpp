// weir: the command line. Parses and validates flags (CLI11), then hands the
// typed options to a command. Usage errors exit 64 with one line on stderr.
#include <charconv>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.h"
#include "weir/scenarios/log_flavour.h"
#include "weir/scenarios/run_result.h"

namespace {

using weir::scenarios::exit_code::bad_usage;

// CLI11 reports the command that failed with a multi-line help; weir prints
// one line naming the problem, and the way to get help.
// CLI11 reads "-1" into an unsigned seed as 2^64-1; a seed is written as
// the number it is.
const CLI::Validator kSeed(
    [](std::string& text) {
      std::uint64_t seed = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
      const bool whole = !text.empty() && ec == std::errc() && end == text.data() + text.size();
      return whole ? std::string() : fmt::format("'{}' is not a seed: a whole number from 0 to 2^64-1", text);
    },
    "SEED");

// --flavour takes a log flavour's name; CLI11 then reads the enumerator's
// number into the command's LogFlavour.
const CLI::Validator kFlavour(
    [](std::string& text) {
      const auto flavour = weir::scenarios::parse_log_flavour(text);
      if (!flavour) return fmt::format("'{}' is not classic or diskless", text);
      text = std::to_string(static_cast<int>(*flavour));
      return std::string();
    },
    "classic|diskless");

int usage_error(const CLI::ParseError& e) {
  fmt::print(stderr, "weir: {} (see weir --help)\n", e.what());
  return bad_usage;
}

void add_expect_option(CLI::App* command, std::string& expect) {
  command->add_option("--expect", expect,
                      "pass or fail: what every run must do, overriding the spec's expect.verdict (a hazard "
                      "scenario fails as expected with exit 0; a run that passes then exits 4)")
      ->check(CLI::IsMember({"pass", "fail"}));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"weir: deterministic simulation testing for Kafka-in-the-middle metrics ingest"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "weir 0.1.0");

  weir::cli::RunCommand run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run one scenario with one seed and check its properties");
  run_cmd->add_option("--scenario", run.scenario, "Built-in scenario name (see `weir scenarios`) or spec file")
      ->required();
  run_cmd->add_option("--set", run.overrides, "Override a spec field: PATH=VALUE (repeatable)");
  run_cmd->add_option("--seed", run.seed, "The seed; the same seed reproduces the same run")->check(kSeed)->required();
  run_cmd->add_flag("--json", run.json, "Print one JSON object instead of text");
  run_cmd->add_option("--trace", run.trace, "Also record the run's trace (events, spec, history) to this file");
  add_expect_option(run_cmd, run.expect);

  weir::cli::ReplayCommand replay;
  CLI::App* replay_cmd = app.add_subcommand("replay", "Re-run a trace file's scenario and seed; compare every event");
  replay_cmd->add_option("file", replay.file, "A trace file written by `weir run --trace`")->required();
  CLI::Option* check_flag =
      replay_cmd->add_flag("--check", replay.check, "Only run the checkers on the stored history, offline");
  CLI::Option* timeline_flag = replay_cmd->add_flag(
      "--timeline", replay.timeline,
      "Print what the systems did, one event per line: seconds node zone kind: sentence (reads the file only, "
      "re-runs nothing). Filters are AND across flags, OR within a repeated flag")
      ->excludes(check_flag);
  CLI::Option* export_chrome_option =
      replay_cmd
          ->add_option("--perfetto", replay.export_chrome,
                       "Write the recorded events as a Chrome trace (JSON) to this file, for ui.perfetto.dev or "
                       "chrome://tracing: a process per zone, a thread per node, faults as slices (reads the file "
                       "only, re-runs nothing; honours the --timeline filters)")
          ->check(CLI::Validator([](std::string& path) { return path.empty() ? "the path is empty" : ""; }, "PATH"))
          ->excludes(check_flag);
  replay_cmd
      ->add_option("--set", replay.overrides,
                   "What if: override a field of the recorded spec, PATH=VALUE (repeatable), and name the first "
                   "event the changed run does differently")
      ->excludes(check_flag)
      ->excludes(timeline_flag)
      ->excludes(export_chrome_option);
  // The filters need --timeline or --perfetto; replay() says so (CLI11's needs() cannot say "or").
  replay_cmd->add_option("--node", replay.filter.nodes,
                         "With --timeline or --perfetto: only this node (repeatable)");
  replay_cmd->add_option("--zone", replay.filter.zones,
                         "With --timeline or --perfetto: only nodes of this zone, e.g. zone-a (repeatable)");
  replay_cmd->add_option("--partition", replay.filter.partitions,
                         "With --timeline or --perfetto: only events about partition P and its ingesters' "
                         "(nodes named ingester-...-P) (repeatable)");
  replay_cmd->add_flag("--runtime", replay.filter.runtime,
                       "With --timeline or --perfetto: also the runtime's own events (fibers woken, messages "
                       "delivered and dropped), shown by digest");
  replay_cmd->add_option("--from", replay.filter.from_seconds,
                         "With --timeline or --perfetto: from this many seconds (inclusive)");
  replay_cmd->add_option("--to", replay.filter.to_seconds,
                         "With --timeline or --perfetto: up to this many seconds (exclusive)");

  weir::cli::ExplainCommand explain;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "Tell the story of a violation in a trace file: the domain events that touch its evidence, in "
                 "time order, and the last moment it could have been avoided");
  explain_cmd->add_option("file", explain.file, "A trace file written by `weir run --trace`")->required();
  explain_cmd->add_option("--violation", explain.violation, "Which violation, 1 for the first (default)")
      ->check(CLI::PositiveNumber);
  explain_cmd->add_flag("--json", explain.json, "Print one JSON object instead of text");

  weir::cli::SweepCommand sweep;
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "Run one scenario over many seeds, each in a worker process");
  sweep_cmd->add_option("--scenario", sweep.scenario, "Built-in scenario name or spec file")->required();
  sweep_cmd->add_option("--set", sweep.overrides, "Override a spec field: PATH=VALUE (repeatable)");
  sweep_cmd->add_option("--seeds", sweep.seeds, "Seed range A:B (A inclusive, B exclusive)")->required();
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "Worker processes at a time")->check(CLI::Range(1, 1024));
  sweep_cmd->add_option("--recheck-ratio", sweep.recheck_ratio,
                        "Share of seeds run twice to check determinism (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  sweep_cmd->add_option("--shard", sweep.shard, "Run only seeds with seed % N == I (for CI matrices)");
  sweep_cmd->add_flag("--json", sweep.json, "One JSON object per seed, then a summary object");
  sweep_cmd->add_option("--junit", sweep.junit, "Also write a JUnit XML report (one testcase per seed) to this file");
  add_expect_option(sweep_cmd, sweep.expect);

  weir::cli::CompareCommand compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare", "Design validation: run the same seeds against two scenarios and compare verdicts and measures");
  compare_cmd
      ->add_option("--scenario", compare.scenarios,
                   "Give exactly twice: scenario A, then B (built-in name or spec file; may be the same one twice)")
      ->required();
  compare_cmd->add_option("--set-a", compare.overrides_a, "Override a field of A's spec: PATH=VALUE (repeatable)");
  compare_cmd->add_option("--set-b", compare.overrides_b, "Override a field of B's spec: PATH=VALUE (repeatable)");
  compare_cmd->add_option("--seeds", compare.seeds, "Seed range A:B (A inclusive, B exclusive), run on both sides")
      ->required();
  compare_cmd->add_option("-j,--jobs", compare.jobs, "Worker processes at a time")->check(CLI::Range(1, 1024));
  compare_cmd->add_option("--recheck-ratio", compare.recheck_ratio,
                          "Share of seeds run twice to check determinism (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  compare_cmd->add_flag("--json", compare.json, "Print one JSON object instead of the table");
  compare_cmd->footer(
      "Exit code: the worse of A's and B's, ranked as sweep ranks seeds (1 safety, then 2 liveness, then 3 "
      "simulator; 0 when every seed passed on both sides); 64 bad usage, 65 a spec that does not load.");

  weir::cli::ShrinkCommand shrink;
  CLI::App* shrink_cmd =
      app.add_subcommand("shrink", "Cut a failing seed's fault schedule down to the faults that matter");
  shrink_cmd->add_option("--scenario", shrink.scenario, "Built-in scenario name or spec file")->required();
  shrink_cmd->add_option("--set", shrink.overrides, "Override a spec field: PATH=VALUE (repeatable)");
  shrink_cmd->add_option("--seed", shrink.seed, "The failing seed")->check(kSeed)->required();
  shrink_cmd->add_option("--runs-max", shrink.runs_max, "Runs at most, the seed's own included (default 100)")
      ->check(CLI::Range(2, 1'000'000));
  shrink_cmd->add_flag("--json", shrink.json, "Print one JSON object instead of text");
  shrink_cmd->footer(
      "Exit code: the shrunk run's (1 safety, 2 liveness, 3 simulator); 0 when the seed passes (nothing to "
      "shrink); 3 when its schedule cut to whole milliseconds no longer fails the same way; 64 bad usage, 65 a "
      "spec that does not load.");

  CLI::App* scenarios_cmd = app.add_subcommand("scenarios", "List the built-in scenarios, one per line, name first");

  CLI::App* capture_cmd = app.add_subcommand("capture", "Inspect captured remote-write requests");
  capture_cmd->require_subcommand(1);
  weir::cli::CaptureStatsCommand capture;
  CLI::App* capture_stats_cmd =
      capture_cmd->add_subcommand("stats", "Count requests, series, samples, exemplars, metadata in a folder");
  capture_stats_cmd->add_option("folder", capture.folder, "Folder of req-NNNN.bin captures")->required();
  capture_stats_cmd->add_flag("--json", capture.json, "Print one JSON object instead of text");

  CLI::App* bench_cmd = app.add_subcommand("bench", "Benchmarks that print figures");
  bench_cmd->require_subcommand(1);
  weir::cli::BenchCoreCommand core;
  CLI::App* core_cmd = bench_cmd->add_subcommand("core", "The 'sleepers' scheduler and fiber benchmark");
  core_cmd->add_option("--actors", core.actors, "Number of actors")->check(CLI::Range(1, 10'000'000));
  core_cmd->add_option("--sleeps", core.sleeps, "Sleeps per actor")->check(CLI::Range(1, 1'000'000'000));
  core_cmd->add_flag("--json", core.json, "Print one JSON object instead of text");

  weir::cli::BenchLogCommand log;
  CLI::App* log_cmd = bench_cmd->add_subcommand("log", "Steady produce load on a log, then consume everything");
  log_cmd->add_option("--flavour", log.flavour, "classic or diskless")->transform(kFlavour)->type_name("FLAVOUR");
  log_cmd->add_option("--partitions", log.partitions, "Partitions of the topic")->check(CLI::Range(1, 100000));
  log_cmd->add_option("--producers", log.producers, "Producer clients")->check(CLI::Range(1, 10000));
  log_cmd->add_option("--seconds", log.seconds, "Simulated seconds of producing")->check(CLI::Range(1, 86400));
  log_cmd->add_option("--record-interval-us", log.record_interval_us, "Mean gap between a producer's records")
      ->check(CLI::Range(1, 10'000'000));
  log_cmd->add_option("--seed", log.seed, "Seed")->check(kSeed);
  log_cmd->add_flag("--json", log.json, "Print one JSON object instead of text");

  weir::cli::BenchPipelineCommand pipeline;
  CLI::App* pipeline_cmd = bench_cmd->add_subcommand("pipeline", "The whole ingest pipeline under a steady scrape load");
  pipeline_cmd->add_option("--flavour", pipeline.flavour, "classic or diskless")
      ->transform(kFlavour)
      ->type_name("FLAVOUR");
  pipeline_cmd->add_option("--series", pipeline.series, "Active series over all clients")->check(CLI::Range(3, 10'000'000));
  pipeline_cmd->add_option("--partitions", pipeline.partitions, "Partitions of the log")->check(CLI::Range(1, 1024));
  pipeline_cmd->add_option("--seconds", pipeline.seconds, "Simulated seconds of writes")->check(CLI::Range(30, 86400 * 7));
  pipeline_cmd->add_option("--scrape-interval", pipeline.scrape_interval_s, "Seconds between scrapes (default 15)")
      ->check(CLI::Range(1, 3600));
  pipeline_cmd->add_option("--retention-seconds", pipeline.retention_s,
                           "Classic log: delete segments older than this (retention.ms; 0, the default, keeps all)")
      ->check(CLI::Range(0, 86400 * 365));
  pipeline_cmd->add_option("--segment-bytes", pipeline.segment_bytes,
                           "Classic log: segment size, log.segment.bytes (default 1 GiB)")
      ->check(CLI::Range(std::int64_t{1024}, std::int64_t{1} << 40));
  pipeline_cmd->add_option("--retention-check-seconds", pipeline.retention_check_s,
                           "Classic log: seconds between retention checks (default 300, Kafka's)")
      ->check(CLI::Range(1, 86400));
  pipeline_cmd->add_option("--seed", pipeline.seed, "Seed")->check(kSeed);
  pipeline_cmd->add_flag("--json", pipeline.json, "Print one JSON object instead of text");

  weir::cli::BenchScenarioCommand scenario_bench;
  CLI::App* scenario_bench_cmd =
      bench_cmd->add_subcommand("scenario", "One spec scenario, end to end: simulated seconds per wall second, peak RSS");
  scenario_bench_cmd->add_option("--scenario", scenario_bench.scenario, "Built-in scenario name or spec file");
  scenario_bench_cmd->add_option("--set", scenario_bench.overrides, "Override a spec field: PATH=VALUE (repeatable)");
  scenario_bench_cmd->add_option("--seed", scenario_bench.seed, "Seed")->check(kSeed);
  scenario_bench_cmd->add_option("--repeat", scenario_bench.repeats, "Runs of the seed; the fastest is reported")
      ->check(CLI::Range(1, 1000));
  scenario_bench_cmd->add_flag("--json", scenario_bench.json, "Print one JSON object instead of text");

  weir::cli::BenchReplayCommand bench_replay;
  CLI::App* bench_replay_cmd =
      bench_cmd->add_subcommand("replay", "Time a traced run against the replay of its trace file");
  bench_replay_cmd->add_option("--scenario", bench_replay.scenario,
                               "Built-in scenario name or spec file (default chaos-classic)");
  bench_replay_cmd->add_option("--seed", bench_replay.seed, "Seed")->check(kSeed);
  bench_replay_cmd->add_option("--seconds", bench_replay.seconds, "Simulated seconds of the safety phase (default 60)")
      ->check(CLI::Range(1, 86400));
  bench_replay_cmd->add_option("--repeat", bench_replay.repeats,
                               "Run and replay this many times; report each side's fastest (default 5)")
      ->check(CLI::Range(1, 1000));
  bench_replay_cmd->add_flag("--json", bench_replay.json, "Print one JSON object instead of text");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e);
  }

  if (run_cmd->parsed()) return weir::cli::run(run);
  if (replay_cmd->parsed()) return weir::cli::replay(replay);
  if (explain_cmd->parsed()) return weir::cli::explain(explain);
  if (sweep_cmd->parsed()) return weir::cli::sweep(sweep);
  if (compare_cmd->parsed()) return weir::cli::compare(compare);
  if (shrink_cmd->parsed()) return weir::cli::shrink(shrink);
  if (scenarios_cmd->parsed()) return weir::cli::list_scenarios();
  if (capture_stats_cmd->parsed()) return weir::cli::capture_stats(capture);
  if (core_cmd->parsed()) return weir::cli::bench_core(core);
  if (log_cmd->parsed()) return weir::cli::bench_log(log);
  if (pipeline_cmd->parsed()) return weir::cli::bench_pipeline(pipeline);
  if (scenario_bench_cmd->parsed()) return weir::cli::bench_scenario(scenario_bench);
  if (bench_replay_cmd->parsed()) return weir::cli::bench_replay(bench_replay);
  return bad_usage;
}
