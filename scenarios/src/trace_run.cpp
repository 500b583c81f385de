#include "weir/scenarios/trace_run.h"

#include <google/protobuf/text_format.h>

#include <fmt/format.h>

#include "weir/properties/check_all.h"
#include "weir/properties/serialization.h"
#include "weir/replay/trace_recorder.h"
#include "weir/replay/trace_writer.h"
#include "weir/scenarios/pipeline.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {
namespace {

std::vector<std::string> node_names(const sim::Simulation& sim) {
  std::vector<std::string> names;
  names.reserve(sim.node_count());
  for (std::size_t id = 0; id < sim.node_count(); ++id) names.push_back(sim.node(static_cast<sim::NodeId>(id)).name());
  return names;
}

std::vector<std::string> node_zones(const sim::Simulation& sim) {
  std::vector<std::string> zones;
  zones.reserve(sim.node_count());
  for (std::size_t id = 0; id < sim.node_count(); ++id) zones.push_back(sim.node(static_cast<sim::NodeId>(id)).zone());
  return zones;
}

// The recorded spec, as a loader; errors name the trace's scenario.
std::variant<ScenarioLoader, std::string> recorded_scenario(const replay::TraceFile& file) {
  ScenarioLoader loader;
  const std::string where = fmt::format("{} (recorded spec)", file.header.scenario);
  if (auto error = loader.parse(file.header.scenario_spec_text, where)) return *error;
  return loader;
}

replay::TraceHeader header_of(const ScenarioLoader& loader, std::uint64_t seed) {
  replay::TraceHeader header;
  header.scenario = loader.source();
  google::protobuf::TextFormat::PrintToString(loader.spec(), &header.scenario_spec_text);
  header.seed = seed;
  header.overrides = loader.overrides();
  return header;
}

}  // namespace

namespace {

// Runs with `sink` attached; returns the result and what a trace's footer holds.
std::pair<RunResult, replay::TraceEnding> run_with_sink(const ScenarioLoader& loader, std::uint64_t seed,
                                                        sim::TraceSink& sink) {
  replay::TraceEnding ending;
  RunHooks hooks;
  hooks.trace_sink = &sink;
  hooks.on_finish = [&](const sim::Simulation& sim, const properties::History& history) {
    ending.history = properties::save_history(history);
    ending.node_names = node_names(sim);
    ending.node_zones = node_zones(sim);
  };
  RunResult result = run_pipeline(loader.options().pipeline, seed, hooks);
  ending.trace_hash = result.trace_hash;
  ending.violations = result.violations;
  return {std::move(result), std::move(ending)};
}

}  // namespace

TracedRun run_traced(const ScenarioLoader& loader, std::uint64_t seed, const std::string& path) {
  replay::TraceWriter writer(path, header_of(loader, seed));
  auto [result, ending] = run_with_sink(loader, seed, writer);
  TracedRun run;
  run.result = std::move(result);
  run.error = writer.finish(ending);
  return run;
}

replay::TraceFile record_in_memory(const ScenarioLoader& loader, std::uint64_t seed) {
  replay::TraceRecorder recorder;
  auto [result, ending] = run_with_sink(loader, seed, recorder);
  replay::TraceFile file = std::move(recorder.file());
  file.header = header_of(loader, seed);
  file.trace_hash = ending.trace_hash;
  file.history = std::move(ending.history);
  file.node_names = std::move(ending.node_names);
  file.node_zones = std::move(ending.node_zones);
  file.violations = std::move(ending.violations);
  return file;
}

std::vector<std::string> ReplayReport::divergence_lines() const {
  if (!divergence) {
    return {fmt::format("recorded: trace_hash {:016x}", recorded_hash),
            fmt::format("replayed: trace_hash {:016x}", replayed_hash)};
  }
  return {"recorded: " + replay::describe(divergence->index, divergence->recorded, recorded_nodes),
          "replayed: " + replay::describe(divergence->index, divergence->replayed, replayed_nodes)};
}

ReplayReport replay_trace(const replay::TraceFile& file, const std::vector<std::string>& overrides) {
  ReplayReport report;
  report.recorded_nodes = file.node_names;
  report.recorded_hash = file.trace_hash;
  auto loaded = recorded_scenario(file);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    report.error = *error;
    return report;
  }
  for (const auto& assignment : overrides) {
    if (auto error = std::get<ScenarioLoader>(loaded).set(assignment)) {
      report.override_error = *error;
      return report;
    }
  }
  replay::ComparingSink sink(file);
  RunHooks hooks;
  hooks.trace_sink = &sink;
  hooks.on_finish = [&](const sim::Simulation& sim, const properties::History&) {
    report.replayed_nodes = node_names(sim);
  };
  const RunResult result = run_pipeline(std::get<ScenarioLoader>(loaded).options().pipeline, file.header.seed, hooks);
  sink.finish();
  report.divergence = sink.divergence();
  report.events = sink.events();
  report.replayed_hash = result.trace_hash;
  return report;
}

OfflineCheck check_trace(const replay::TraceFile& file) {
  OfflineCheck check;
  auto loaded = recorded_scenario(file);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    check.error = *error;
    return check;
  }
  try {
    const properties::History history = properties::load_history(file.history);
    const properties::CheckReport report =
        properties::check_all(history, std::get<ScenarioLoader>(loaded).options().pipeline.check_options());
    check.violations = report.violations();
    check.checked = report.checked();
  } catch (const properties::HistoryFormatError& e) {
    check.error = fmt::format("{}: stored history: {}", file.header.scenario, e.what());
  }
  return check;
}

}  // namespace weir::scenarios
