#include "commands.h"
#include "resolve.h"
#include "violation_stories.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "weir/models/capture_stats.h"
#include "weir/replay/trace_reader.h"
#include "weir/scenarios/bench_core.h"
#include "weir/scenarios/bench_floor.h"
#include "weir/scenarios/bench_log.h"
#include "weir/scenarios/builtin.h"
#include "weir/scenarios/builtin_specs.h"
#include "weir/scenarios/junit.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/scenarios/sweep.h"
#include "weir/scenarios/trace_run.h"

namespace weir::cli {

namespace {

void print_summary_text(const std::string& scenario, const scenarios::SweepSummary& s) {
  fmt::print("sweep {}: {} seeds run, {} failed, {:.1f} seeds/minute, {:.2f} s wall\n", scenario, s.seeds_run,
             s.seeds_failed, s.seeds_per_minute, s.wall_seconds);
  fmt::print("  {} seeds run twice to check determinism\n", s.seeds_rechecked);
  if (s.seeds_failed_as_expected > 0) fmt::print("  {} seeds failed as the scenario expects\n", s.seeds_failed_as_expected);
  if (s.seeds_beyond_budget > 0) fmt::print("  {} seeds went beyond the fault budget\n", s.seeds_beyond_budget);
  for (const auto& [property, count] : s.failures_by_property) fmt::print("  {}: {} seeds\n", property, count);
  for (const auto& [property, count] : s.vacuous_by_property) {
    fmt::print("  vacuous {}: {} seeds judged nothing\n", property, count);
  }
  fmt::print("  slowest seed {} ({:.3f} s)\n", s.slowest_seed, s.slowest_wall_seconds);
}

void print_summary_json(const std::string& scenario, const scenarios::SweepSummary& s) {
  const nlohmann::json j = {
      {"summary", true},
      {"scenario", scenario},
      {"seeds_run", s.seeds_run},
      {"seeds_failed", s.seeds_failed},
      {"seeds_failed_as_expected", s.seeds_failed_as_expected},
      {"seeds_beyond_budget", s.seeds_beyond_budget},
      {"failures_by_property", s.failures_by_property},
      {"vacuous_by_property", s.vacuous_by_property},
      {"slowest_seed", s.slowest_seed},
      {"slowest_wall_seconds", s.slowest_wall_seconds},
      {"wall_seconds", s.wall_seconds},
      {"seeds_per_minute", s.seeds_per_minute},
      {"seeds_rechecked", s.seeds_rechecked},
      {"exit_code", s.exit_code},
  };
  fmt::print("{}\n", j.dump());
}

}  // namespace

std::vector<std::string> with_expect(std::vector<std::string> overrides, const std::string& expect) {
  if (expect == "pass") overrides.push_back("expect.verdict=PASS");
  if (expect == "fail") overrides.push_back("expect.verdict=FAIL");
  return overrides;
}

// The failed run's trace: its file when it wrote one, else the same run
// again, recorded in memory.
replay::TraceFile failure_trace(const RunCommand& command, const scenarios::ScenarioLoader& loader) {
  if (!command.trace.empty()) {
    auto read = replay::TraceReader::read(command.trace);
    if (auto* file = std::get_if<replay::TraceFile>(&read)) return std::move(*file);
  }
  return scenarios::record_in_memory(loader, command.seed);
}

int run(const RunCommand& command) {
  auto resolved = resolve(command.scenario, with_expect(command.overrides, command.expect));
  if (const int* code = std::get_if<int>(&resolved)) return *code;
  const Resolved& scenario = std::get<Resolved>(resolved);
  if (!command.trace.empty() && scenario.loader == nullptr) {
    fmt::print(stderr, "weir: --trace: scenario '{}' has no spec to record\n", command.scenario);
    return scenarios::exit_code::bad_usage;
  }
  scenarios::RunResult result;
  if (command.trace.empty()) {
    result = with_source(scenario.run(command.seed), scenario);
  } else {
    auto traced = scenarios::run_traced(*scenario.loader, command.seed, command.trace);
    if (traced.error) {
      fmt::print(stderr, "weir: --trace: {}\n", *traced.error);
      return scenarios::exit_code::bad_input;
    }
    result = with_source(std::move(traced.result), scenario);
  }
  if (command.json || result.violations.empty() || scenario.loader == nullptr) {
    print_report(result, command.json);
    return result.exit_code();
  }
  // A failure: tell each violation's story from the run's domain events.
  fmt::print("{}", scenarios::to_text(result, violation_stories(failure_trace(command, *scenario.loader), command.trace)));
  if (command.trace.empty()) {
    fmt::print("TRACE: {} --trace TRACE\n", result.reproduce_command());
  }
  std::fflush(stdout);
  return result.exit_code();
}

int replay(const ReplayCommand& command) {
  const bool reads_only = command.timeline || !command.export_chrome.empty();
  const replay::TimelineFilter& filter = command.filter;
  const bool filtered = !filter.nodes.empty() || !filter.zones.empty() || !filter.partitions.empty() ||
                        filter.from_seconds || filter.to_seconds || filter.runtime;
  if (filtered && !reads_only) {
    fmt::print(stderr, "weir: --node, --zone, --partition, --from, --to and --runtime need --timeline or --perfetto "
                       "(see weir replay --help)\n");
    return scenarios::exit_code::bad_usage;
  }
  if (reads_only) {
    if (auto error = command.filter.validate()) {
      fmt::print(stderr, "weir: {} (see weir replay --help)\n", *error);
      return scenarios::exit_code::bad_usage;
    }
  }
  auto read = replay::TraceReader::read(command.file);
  if (const auto* error = std::get_if<std::string>(&read)) {
    fmt::print(stderr, "weir: {}\n", *error);
    return scenarios::exit_code::bad_input;
  }
  const replay::TraceFile& file = std::get<replay::TraceFile>(read);
  if (!command.export_chrome.empty()) {
    const int code = export_chrome(file, command);
    if (code != scenarios::exit_code::ok || !command.timeline) return code;
  }
  if (command.timeline) {
    replay::Timeline(file, command.filter).print(stdout);
    return scenarios::exit_code::ok;
  }
  if (command.check) {
    const scenarios::OfflineCheck check = scenarios::check_trace(file);
    if (check.error) {
      fmt::print(stderr, "weir: {}\n", *check.error);
      return scenarios::exit_code::bad_input;
    }
    scenarios::RunResult verdict;
    verdict.violations = check.violations;
    verdict.checked = check.checked;
    fmt::print("{}", scenarios::checked_text(check.checked, ""));
    for (const auto& v : check.violations) fmt::print("violation {}: {}\n", v.property, v.message);
    fmt::print("check {}: {} violations in the stored history\n", file.header.scenario, check.violations.size());
    return verdict.exit_code();
  }
  const scenarios::ReplayReport report = scenarios::replay_trace(file, command.overrides);
  if (report.error) {
    fmt::print(stderr, "weir: {}\n", *report.error);
    return scenarios::exit_code::bad_input;
  }
  if (report.override_error) {
    fmt::print(stderr, "weir: {}\n", *report.override_error);
    return scenarios::exit_code::bad_usage;
  }
  if (!report.ok()) {
    for (const auto& line : report.divergence_lines()) fmt::print("{}\n", line);
    return scenarios::exit_code::simulator_failed;
  }
  fmt::print("replay OK: {} events, trace_hash {:016x}\n", report.events, report.replayed_hash);
  return scenarios::exit_code::ok;
}

int sweep(const SweepCommand& command) {
  auto resolved = resolve(command.scenario, with_expect(command.overrides, command.expect));
  if (const int* code = std::get_if<int>(&resolved)) return *code;
  const Resolved& scenario = std::get<Resolved>(resolved);
  const auto seeds = scenarios::parse_seed_range(command.seeds);
  if (!seeds) {
    fmt::print(stderr, "weir: --seeds '{}' is not a range A:B with A < B\n", command.seeds);
    return scenarios::exit_code::bad_usage;
  }
  const auto shard = scenarios::parse_shard(command.shard);
  if (!shard) {
    fmt::print(stderr, "weir: --shard '{}' is not I/N with 0 <= I < N\n", command.shard);
    return scenarios::exit_code::bad_usage;
  }
  const scenarios::SweepOptions options{*seeds, *shard, command.jobs, command.recheck_ratio};
  std::vector<scenarios::RunResult> results;  // kept for the JUnit report
  const auto summary = scenarios::run_sweep(scenario.name, scenario.run, options, [&](const scenarios::RunResult& run) {
    const scenarios::RunResult r = with_source(run, scenario);
    if (!command.junit.empty()) results.push_back(r);
    // Text shows the failing seeds only; JSON every seed.
    if (command.json || r.exit_code() != scenarios::exit_code::ok) print_report(r, command.json);
  });
  if (command.json) {
    print_summary_json(scenario.name, summary);
  } else {
    print_summary_text(scenario.name, summary);
  }
  if (!command.junit.empty()) {
    if (auto error = scenarios::write_file_atomically(command.junit, scenarios::to_junit(scenario.name, results, summary))) {
      fmt::print(stderr, "weir: {}\n", *error);
      return scenarios::exit_code::bad_input;
    }
  }
  return summary.exit_code;
}

int list_scenarios() {
  for (const auto& s : scenarios::builtin_scenarios()) fmt::print("{}\t{}\n", s.name, s.description);
  return scenarios::exit_code::ok;
}

int capture_stats(const CaptureStatsCommand& command) {
  const auto stats = models::capture_stats(command.folder);
  if (!stats) {
    fmt::print(stderr, "weir: {}\n", stats.error().message);
    return scenarios::exit_code::bad_input;
  }
  const models::CaptureStats& s = stats.value();
  if (command.json) {
    const nlohmann::json j = {{"requests", s.requests}, {"series", s.series},     {"samples", s.samples},
                              {"exemplars", s.exemplars}, {"metadata", s.metadata}};
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("requests {}\nseries {}\nsamples {}\nexemplars {}\nmetadata {}\n", s.requests, s.series, s.samples,
               s.exemplars, s.metadata);
  }
  return scenarios::exit_code::ok;
}

int bench_core(const BenchCoreCommand& command) {
  const scenarios::SleepersReport r = scenarios::run_sleepers({command.actors, command.sleeps});
  if (command.json) {
    const nlohmann::json j = {
        {"benchmark", "sleepers"},          {"actors", command.actors},
        {"sleeps", command.sleeps},         {"wakeups", r.wakeups},
        {"wall_seconds", r.wall_seconds},   {"wakeups_per_second", r.wakeups_per_second},
        {"ns_per_wakeup", r.ns_per_wakeup}, {"raw_round_trip_ns", r.raw_round_trip_ns},
        {"yield_ns", r.yield_ns},           {"wakeup_vs_raw", r.wakeup_vs_raw},
        {"yield_vs_raw", r.yield_vs_raw},   {"trace_hash", fmt::format("{:016x}", r.trace_hash)},
    };
    fmt::print("{}\n", j.dump());
    return scenarios::exit_code::ok;
  }
  fmt::print("sleepers: {} actors x {} sleeps = {} wakeups in {:.3f} s\n", command.actors, command.sleeps, r.wakeups,
             r.wall_seconds);
  fmt::print("  wakeups per second      {:>12.0f}\n", r.wakeups_per_second);
  fmt::print("  ns per wakeup           {:>12.1f}\n", r.ns_per_wakeup);
  fmt::print("  raw fiber round trip ns {:>12.1f}  (Boost.Context alone)\n", r.raw_round_trip_ns);
  fmt::print("  scheduler yield ns      {:>12.1f}  (one fiber through the scheduler)\n", r.yield_ns);
  fmt::print("  wakeup / raw round trip {:>12.2f}x\n", r.wakeup_vs_raw);
  fmt::print("  yield / raw round trip  {:>12.2f}x\n", r.yield_vs_raw);
  return scenarios::exit_code::ok;
}

int bench_log(const BenchLogCommand& command) {
  scenarios::BenchLogOptions options;
  options.topology.flavour = command.flavour;
  options.topology.partitions = command.partitions;
  options.producers = command.producers;
  options.seconds = command.seconds;
  options.record_interval_us = command.record_interval_us;
  options.seed = command.seed;
  const scenarios::BenchLogReport r = scenarios::run_bench_log(options);
  if (command.json) {
    const nlohmann::json j = {
        {"benchmark", "log"},
        {"flavour", scenarios::to_string(command.flavour)},
        {"partitions", command.partitions},
        {"produced", r.produced},
        {"acked", r.acked},
        {"failed", r.failed},
        {"unresolved", r.unresolved},
        {"consumed", r.consumed},
        {"sim_seconds", r.sim_seconds},
        {"wall_seconds", r.wall_seconds},
        {"records_per_wall_second", r.records_per_wall_second},
        {"sim_seconds_per_wall_second", r.sim_seconds_per_wall_second},
        {"cross_zone_bytes", r.cross_zone_bytes},
        {"violations", r.violations},
        {"trace_hash", fmt::format("{:016x}", r.trace_hash)},
    };
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("log ({}, {} partitions): {} produced, {} acked, {} consumed in {:.1f} sim s / {:.2f} wall s\n",
               scenarios::to_string(command.flavour), command.partitions, r.produced, r.acked, r.consumed,
               r.sim_seconds, r.wall_seconds);
    fmt::print("  failed / unresolved produces   {:>12} / {}\n", r.failed, r.unresolved);
    fmt::print("  acked records per wall second  {:>12.0f}\n", r.records_per_wall_second);
    fmt::print("  sim seconds per wall second    {:>12.1f}\n", r.sim_seconds_per_wall_second);
    fmt::print("  cross-zone bytes               {:>12}\n", r.cross_zone_bytes);
    fmt::print("  workload violations            {:>12}\n", r.violations);
  }
  return r.violations == 0 ? scenarios::exit_code::ok : scenarios::exit_code::safety_failed;
}

namespace {

std::uint64_t counter(const scenarios::RunResult& r, const std::string& name) {
  const auto it = r.counters.find(name);
  return it == r.counters.end() ? 0 : it->second;
}

}  // namespace

int bench_pipeline(const BenchPipelineCommand& command) {
  scenarios::PipelineOptions options;
  options.name = fmt::format("bench-pipeline-{}", scenarios::to_string(command.flavour));
  options.log.flavour = command.flavour;
  options.log.partitions = command.partitions;
  const int clients = static_cast<int>(options.log.zones.size()) * options.clients_per_zone;
  options.series_per_client = std::max(1, command.series / clients);
  options.scrape_interval = sim::Duration::seconds(command.scrape_interval_s);
  options.write_phase = sim::Duration::seconds(command.seconds);
  options.log.classic.retention = sim::Duration::seconds(command.retention_s);
  options.log.classic.segment_bytes = static_cast<std::uint64_t>(command.segment_bytes);
  options.log.classic.retention_check_interval = sim::Duration::seconds(command.retention_check_s);
  if (options.write_phase <= options.clients_start_after + options.scrape_interval) {
    fmt::print(stderr, "weir: --seconds {} leaves no scrape after the clients start at {} s\n", command.seconds,
               options.clients_start_after.seconds_f());
    return scenarios::exit_code::bad_usage;
  }
  const scenarios::RunResult r = scenarios::run_pipeline(options, command.seed);
  const double rss_mib = peak_rss_mib();  // before the floor builds heads of its own

  scenarios::FloorWorkload floor_workload;
  floor_workload.clients = clients;
  floor_workload.series_per_client = options.series_per_client;
  floor_workload.scrapes = static_cast<int>((options.write_phase - options.clients_start_after).ns() /
                                            options.scrape_interval.ns());
  floor_workload.scrape_interval_ms = options.scrape_interval.ns() / 1'000'000;
  floor_workload.partitions = command.partitions;
  floor_workload.ingester_zones = static_cast<int>(options.ingester_zones.size());
  const scenarios::FloorReport floor = scenarios::measure_pipeline_floor(floor_workload);

  const std::uint64_t acked = counter(r, "samples_acked");
  const double samples_per_wall_second = static_cast<double>(acked) / r.wall_seconds;
  const double floor_ratio = floor.samples_per_wall_second / samples_per_wall_second;
  const std::uint64_t active_series = static_cast<std::uint64_t>(clients) * static_cast<std::uint64_t>(options.series_per_client);
  const double rss_kib_per_series = rss_mib * 1024.0 / static_cast<double>(active_series);
  const double speed = r.sim_seconds / r.wall_seconds;
  if (command.json) {
    nlohmann::json j = nlohmann::json::parse(scenarios::to_json(r));
    j["benchmark"] = "pipeline";
    j["flavour"] = scenarios::to_string(command.flavour);
    j["partitions"] = command.partitions;
    j["active_series"] = active_series;
    j["scrape_interval_seconds"] = command.scrape_interval_s;
    j["retention_seconds"] = command.retention_s;
    j["segment_bytes"] = command.segment_bytes;
    j["retention_check_seconds"] = command.retention_check_s;
    j["samples_acked"] = acked;
    j["samples_per_wall_second"] = samples_per_wall_second;
    j["sim_seconds_per_wall_second"] = speed;
    j["peak_rss_mib"] = rss_mib;
    j["rss_kib_per_series"] = rss_kib_per_series;
    j["floor_samples_per_wall_second"] = floor.samples_per_wall_second;
    j["floor_wall_seconds"] = floor.wall_seconds;
    j["floor_ratio"] = floor_ratio;
    j["verdict"] = r.exit_code() == 0 ? "PASS" : "FAIL";
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("pipeline ({}, {} series, {} partitions, {} s of writes, {} s scrapes): {:.1f} sim s in {:.2f} wall s, "
               "{} events\n",
               scenarios::to_string(command.flavour), active_series, command.partitions, command.seconds,
               command.scrape_interval_s, r.sim_seconds, r.wall_seconds, r.events);
    if (command.retention_s > 0) {
      fmt::print("  log retention                {:>12} s  (segments of {} bytes, checked every {} s)\n",
                 command.retention_s, command.segment_bytes, command.retention_check_s);
    }
    fmt::print("  samples acked                {:>12}\n", acked);
    fmt::print("  samples per wall second      {:>12.0f}\n", samples_per_wall_second);
    fmt::print("  sim seconds per wall second  {:>12.1f}\n", speed);
    fmt::print("  peak RSS                     {:>12.1f} MiB\n", rss_mib);
    fmt::print("  RSS per active series        {:>12.2f} KiB\n", rss_kib_per_series);
    fmt::print("  floor samples per wall s     {:>12.0f}  (decode, shard, encode, decode and append per zone)\n",
               floor.samples_per_wall_second);
    fmt::print("  floor ratio                  {:>12.1f}x  (the pipeline's cost per sample over the floor's)\n",
               floor_ratio);
    fmt::print("  verdict                      {:>12}\n", r.exit_code() == 0 ? "PASS" : "FAIL");
  }
  return r.exit_code();
}

}  // namespace weir::cli
