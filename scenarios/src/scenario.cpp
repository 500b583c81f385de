#include "weir/scenarios/scenario.h"

#include <filesystem>
#include <utility>

#include <fmt/format.h>
#include <google/protobuf/text_format.h>

#include "weir/scenarios/builtin.h"
#include "weir/scenarios/builtin_specs.h"
#include "weir/scenarios/junit.h"

namespace weir::scenarios {
namespace {

ScenarioLoader loaded(const std::optional<std::string>& error, ScenarioLoader loader) {
  if (error) throw ScenarioError(*error);
  return loader;
}

std::string spec_text(const pb::ScenarioSpec& spec) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(spec, &text);
  return text;
}

}  // namespace

Scenario::Scenario(ScenarioLoader loader, std::string base_spec_text)
    : loader_(std::move(loader)),
      source_(loader_.source()),
      base_spec_text_(std::move(base_spec_text)),
      options_(loader_.options().pipeline) {}

Scenario Scenario::builtin(const std::string& name) {
  if (find_builtin_spec(name) == nullptr) {
    if (find_builtin(name) != nullptr) {
      throw ScenarioError(fmt::format("built-in scenario '{}' has no spec; Scenario runs the pipeline specs", name));
    }
    throw ScenarioError(fmt::format("unknown built-in scenario '{}' (`weir scenarios` lists them)", name));
  }
  ScenarioLoader loader;
  auto error = loader.load(name);
  loader = loaded(error, std::move(loader));
  return Scenario(loader, spec_text(loader.spec()));
}

Scenario Scenario::from_file(const std::string& path) {
  ScenarioLoader loader;
  auto error = loader.load(path);
  loader = loaded(error, std::move(loader));
  return Scenario(loader, spec_text(loader.spec()));
}

Scenario Scenario::from_text(std::string_view text, std::string_view file) {
  ScenarioLoader loader;
  auto error = loader.parse(text, file);
  loader = loaded(error, std::move(loader));
  return Scenario(loader, std::string(text));
}

Scenario Scenario::from_spec(const pb::ScenarioSpec& spec, std::string_view file) {
  return from_text(spec_text(spec), file);
}

Scenario Scenario::from_loader(const ScenarioLoader& loader) { return Scenario(loader, spec_text(loader.spec())); }

Scenario Scenario::set(std::string_view assignment) const {
  Scenario changed = *this;
  if (auto error = changed.loader_.set(assignment)) throw ScenarioError(*error);
  changed.options_ = changed.loader_.options().pipeline;
  return changed;
}

Scenario Scenario::with_faults(const std::vector<ScheduledFault>& schedule) const {
  Scenario changed = *this;
  for (const auto& assignment : schedule_overrides(schedule)) {
    if (auto error = changed.loader_.set(assignment)) throw ScenarioError(*error);
  }
  changed.options_ = changed.loader_.options().pipeline;
  return changed;
}

RunResult Scenario::run(std::uint64_t seed, const RunHooks& hooks) const {
  RunResult result = run_pipeline(options_, seed, hooks);
  result.scenario_source = source_;
  result.overrides = loader_.overrides();
  return result;
}

TracedRun Scenario::run_traced(std::uint64_t seed, const std::string& path) const {
  TracedRun traced = scenarios::run_traced(loader_, seed, path);
  traced.result.scenario_source = source_;
  traced.result.overrides = loader_.overrides();
  return traced;
}

bool Scenario::reproducible_by_name() const {
  return find_builtin_spec(source_) != nullptr || std::filesystem::is_regular_file(source_);
}

std::string Scenario::reproduce_command(std::uint64_t seed) const {
  RunResult named;
  named.seed = seed;
  named.scenario_source = source_;
  named.overrides = loader_.overrides();
  return named.reproduce_command();
}

void Scenario::save_spec(const std::string& path) {
  if (auto error = write_file_atomically(path, base_spec_text_)) throw ScenarioError(*error);
  source_ = path;
}

}  // namespace weir::scenarios
