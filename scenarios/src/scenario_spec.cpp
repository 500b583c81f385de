#include "weir/scenarios/scenario_spec.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "spec_override.h"
#include "weir/scenarios/builtin_specs.h"

namespace weir::scenarios {
namespace {

namespace gpb = google::protobuf;

// Keeps the first error of a text-format parse as "FILE:LINE:COL: message"
// (protobuf counts lines and columns from 0; editors from 1).
class FirstError : public gpb::io::ErrorCollector {
 public:
  explicit FirstError(std::string_view file) : file_(file) {}
  void AddError(int line, gpb::io::ColumnNumber column, const std::string& message) override {
    if (!error_) error_ = fmt::format("{}:{}:{}: {}", file_, line + 1, column + 1, message);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  std::string file_;
  std::optional<std::string> error_;
};

}  // namespace

std::optional<std::string> ScenarioLoader::load(const std::string& name_or_path) {
  if (const BuiltinSpecText* builtin = find_builtin_spec(name_or_path)) {
    auto error = parse(builtin->text, fmt::format("{}.textproto", builtin->name));
    source_ = name_or_path;
    return error;
  }
  std::ifstream in(name_or_path, std::ios::binary);
  if (!in) return fmt::format("{}: cannot read the scenario file", name_or_path);
  std::ostringstream text;
  text << in.rdbuf();
  auto error = parse(text.str(), name_or_path);
  source_ = name_or_path;
  return error;
}

std::optional<std::string> ScenarioLoader::parse(std::string_view text, std::string_view file) {
  FirstError errors(file);
  gpb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  pb::ScenarioSpec spec;
  if (!parser.ParseFromString(std::string(text), &spec)) {
    return errors.error().value_or(fmt::format("{}: not a ScenarioSpec", file));
  }
  if (auto error = validate_spec(spec)) return fmt::format("{}: {}", file, *error);
  spec_ = std::move(spec);
  source_ = std::string(file);
  overrides_.clear();
  return std::nullopt;
}

std::optional<std::string> ScenarioLoader::set(std::string_view assignment) {
  pb::ScenarioSpec spec = spec_;
  if (auto error = apply_override(spec, assignment)) return error;
  if (auto error = validate_spec(spec)) return fmt::format("--set {}: {}", assignment, *error);
  spec_ = std::move(spec);
  overrides_.emplace_back(assignment);
  return std::nullopt;
}

LoadedScenario ScenarioLoader::options() const { return to_options(spec_); }

std::vector<ScheduledFault> to_whole_ms(std::vector<ScheduledFault> schedule) {
  for (ScheduledFault& fault : schedule) {
    fault.at = sim::Duration::milliseconds(fault.at.ns() / 1'000'000);
    fault.duration = sim::Duration::milliseconds(std::max<std::int64_t>(1, fault.duration.ns() / 1'000'000));
  }
  return schedule;
}

std::vector<std::string> schedule_overrides(const std::vector<ScheduledFault>& schedule) {
  std::vector<std::string> overrides = {"faults.swarm.enabled=false", "faults.fault=[]"};
  gpb::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  const std::vector<ScheduledFault> in_ms = to_whole_ms(schedule);
  for (std::size_t i = 0; i < in_ms.size(); ++i) {
    const ScheduledFault& fault = in_ms[i];
    pb::Fault f;
    f.set_kind(std::string(to_string(fault.kind)));
    f.set_at_ms(fault.at.ns() / 1'000'000);
    f.set_duration_ms(fault.duration.ns() / 1'000'000);
    f.set_target(fault.target);
    if (fault.magnitude != 0) f.set_magnitude(fault.magnitude);
    std::string text;
    printer.PrintToString(f, &text);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    overrides.push_back(fmt::format("faults.fault[{}]={{{}}}", i, text));
  }
  return overrides;
}

}  // namespace weir::scenarios
