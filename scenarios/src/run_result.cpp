#include "weir/scenarios/run_result.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "violation_json.h"
#include "weir/properties/check_report.h"
#include <nlohmann/json.hpp>

namespace weir::scenarios {

std::string Expectation::describe() const {
  if (!fail) return "PASS";
  std::string out = "FAIL";
  for (std::size_t i = 0; i < properties.size(); ++i) out += (i == 0 ? " (" : ", ") + properties[i];
  return properties.empty() ? out : out + ")";
}

int RunResult::exit_code() const {
  const int verdict = verdict_code();
  if (!expected.fail || verdict == exit_code::simulator_failed) return verdict;
  if (verdict == exit_code::ok) return exit_code::expected_failure_missing;
  return failed_as_expected() ? exit_code::ok : verdict;
}

bool RunResult::failed_as_expected() const {
  if (!expected.fail || violations.empty() || verdict_code() == exit_code::simulator_failed) return false;
  const auto& allowed = expected.properties;
  return allowed.empty() || std::all_of(violations.begin(), violations.end(), [&](const properties::Violation& v) {
           return std::find(allowed.begin(), allowed.end(), v.property) != allowed.end();
         });
}

int RunResult::verdict_code() const {
  if (!simulator_error.empty() || !nondeterminism.empty()) return exit_code::simulator_failed;
  bool liveness = false;
  for (const auto& v : violations) {
    if (properties::property_kind(v.property) == properties::PropertyKind::safety) return exit_code::safety_failed;
    liveness = true;
  }
  return liveness ? exit_code::liveness_failed : exit_code::ok;
}

std::vector<std::string> RunResult::vacuous() const {
  std::vector<std::string> names;
  for (const auto& [property, judged] : checked) {
    if (judged == 0) names.push_back(property);
  }
  return names;
}

namespace {

// A word as a POSIX shell reads it back: quoted when it holds anything
// beyond the characters paths and overrides usually use.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:=+@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

// "weir VERB --scenario ... --seed N --set ...", for this run.
std::string command_line(const RunResult& r, std::string_view verb) {
  std::string line = fmt::format("weir {} --scenario {} --seed {}", verb,
                                 shell_word(r.scenario_source.empty() ? r.scenario : r.scenario_source), r.seed);
  for (const auto& assignment : r.overrides) {
    line += " --set ";
    line += shell_word(assignment);
  }
  return line;
}

}  // namespace

std::string RunResult::reproduce_command() const { return command_line(*this, "run"); }

std::string RunResult::shrink_command() const { return command_line(*this, "shrink"); }

std::string to_json(const RunResult& r) {
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : r.violations) violations.push_back(detail::violation_json(v));
  nlohmann::json j = {
      {"scenario", r.scenario},
      {"seed", r.seed},
      {"trace_hash", fmt::format("{:016x}", r.trace_hash)},
      {"sim_seconds", r.sim_seconds},
      {"wall_seconds", r.wall_seconds},
      {"events", r.events},
      {"exit_code", r.exit_code()},
      {"violations", violations},
      {"checked", r.checked},
      {"vacuous", r.vacuous()},
      {"counters", r.counters},
      {"measures", r.measures},
      {"faults", r.faults},
      {"expect", {{"verdict", r.expected.fail ? "FAIL" : "PASS"}, {"properties", r.expected.properties}}},
  };
  if (!r.beyond_budget.empty()) j["beyond_budget"] = r.beyond_budget;
  if (!r.simulator_error.empty()) j["simulator_error"] = r.simulator_error;
  if (!r.nondeterminism.empty()) j["nondeterminism"] = r.nondeterminism;
  return j.dump();
}

namespace {

const char* verdict_word(const RunResult& r) {
  static constexpr const char* kVerdicts[] = {"PASS", "FAIL (safety)", "FAIL (liveness)", "FAIL (simulator)"};
  if (r.failed_as_expected()) return "FAIL (as expected)";
  if (r.exit_code() == exit_code::expected_failure_missing) return "PASS (a failure was expected)";
  const int code = r.verdict_code();
  if (code == exit_code::ok && !r.vacuous().empty()) return "VACUOUS";
  return kVerdicts[code];
}

}  // namespace

std::string checked_text(const std::map<std::string, std::uint64_t>& checked, std::string_view indent) {
  std::string out;
  for (const auto& [property, judged] : checked) {
    out += fmt::format("{}checked {}: {} {}{}\n", indent, property, judged, properties::judged_unit(property),
                       judged == 0 ? " (vacuous: judged nothing)" : "");
  }
  return out;
}

std::string to_text(const RunResult& r, const std::vector<std::vector<std::string>>& notes) {
  std::string out = fmt::format("{} scenario={} seed={} trace_hash={:016x} sim_seconds={:.3f} events={}\n",
                                verdict_word(r), r.scenario, r.seed, r.trace_hash, r.sim_seconds, r.events);
  out += checked_text(r.checked, "  ");
  if (!r.simulator_error.empty()) out += fmt::format("  simulator error: {}\n", r.simulator_error);
  if (!r.nondeterminism.empty()) out += fmt::format("  nondeterministic: {}\n", r.nondeterminism);
  for (std::size_t i = 0; i < r.violations.size(); ++i) {
    out += fmt::format("  violation {}: {}\n", r.violations[i].property, r.violations[i].message);
    if (i < notes.size()) {
      for (const auto& line : notes[i]) out += fmt::format("    {}\n", line);
    }
  }
  for (const auto& fault : r.faults) out += fmt::format("  fault {}\n", fault);
  if (!r.beyond_budget.empty()) out += fmt::format("  beyond the fault budget: {}\n", r.beyond_budget);
  if (r.expected.fail) out += fmt::format("  expected: {}\n", r.expected.describe());
  if (r.exit_code() != exit_code::ok) {
    out += fmt::format("reproduce: {}\n", r.reproduce_command());
    // A failure under faults may need only a few of them: weir shrink finds which.
    if (!r.faults.empty()) out += fmt::format("shrink: {}\n", r.shrink_command());
  }
  return out;
}

}  // namespace weir::scenarios
