// The CompareReport as text (a side-by-side table) and as one JSON object.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "weir/scenarios/compare.h"

namespace weir::scenarios {
namespace {

constexpr std::size_t kNameWidth = 24;

// Whole numbers and large ones without decimals; small ones with three
// significant digits (latencies in ms, costs in USD).
std::string number(double v) {
  if (v == 0) return "0";
  if (std::abs(v) >= 1000 || v == std::floor(v)) return fmt::format("{:.0f}", v);
  if (std::abs(v) >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

std::string ratio_text(const std::optional<double>& ratio) { return ratio ? fmt::format("{:.3g}", *ratio) : "-"; }

// "baseline-classic (file.textproto) --set x=1": the side as given.
std::string side_label(const CompareSideReport& side) {
  std::string label = side.name;
  if (!side.source.empty() && side.source != side.name) label += fmt::format(" ({})", side.source);
  for (const auto& assignment : side.overrides) label += fmt::format(" --set {}", assignment);
  return label;
}

std::string row(std::size_t width, const std::string& name, const std::vector<std::string>& cells) {
  std::string line = fmt::format("  {:<{}}", name, width);
  for (const auto& cell : cells) line += fmt::format(" {:>10}", cell);
  line += '\n';
  return line;
}

std::string verdict_table(const CompareReport& r, std::size_t width) {
  std::string out = row(width, "", {"A", "B"});
  out += row(width, "seeds run", {number(static_cast<double>(r.a.summary.seeds_run)),
                                  number(static_cast<double>(r.b.summary.seeds_run))});
  out += row(width, "seeds failed", {number(static_cast<double>(r.a.summary.seeds_failed)),
                                     number(static_cast<double>(r.b.summary.seeds_failed))});
  out += row(width, "exit code", {fmt::format("{}", r.a.summary.exit_code), fmt::format("{}", r.b.summary.exit_code)});
  out += row(width, "wall seconds", {fmt::format("{:.2f}", r.a.summary.wall_seconds),
                                     fmt::format("{:.2f}", r.b.summary.wall_seconds)});
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> failures;
  for (const auto& [property, n] : r.a.summary.failures_by_property) failures[property].first = n;
  for (const auto& [property, n] : r.b.summary.failures_by_property) failures[property].second = n;
  for (const auto& [property, n] : failures) {
    out += row(width, fmt::format("failed: {}", property), {fmt::format("{}", n.first), fmt::format("{}", n.second)});
  }
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> vacuous;
  for (const auto& [property, n] : r.a.summary.vacuous_by_property) vacuous[property].first = n;
  for (const auto& [property, n] : r.b.summary.vacuous_by_property) vacuous[property].second = n;
  for (const auto& [property, n] : vacuous) {
    out += row(width, fmt::format("vacuous: {}", property), {fmt::format("{}", n.first), fmt::format("{}", n.second)});
  }
  return out;
}

std::string measure_table(const CompareReport& r, std::size_t width) {
  std::string out = row(width, "measure (across seeds)",
                        {"A mean", "B mean", "B/A", "A median", "B median", "A max", "B max"});
  auto cell = [](const std::map<std::string, MeasureStats>& side, const std::string& name, double MeasureStats::*field) {
    const auto it = side.find(name);
    return it == side.end() ? std::string("-") : number(it->second.*field);
  };
  for (const auto& name : r.measure_names()) {
    out += row(width, name,
               {cell(r.a.measures, name, &MeasureStats::mean), cell(r.b.measures, name, &MeasureStats::mean),
                ratio_text(r.ratio(name)), cell(r.a.measures, name, &MeasureStats::median),
                cell(r.b.measures, name, &MeasureStats::median), cell(r.a.measures, name, &MeasureStats::max),
                cell(r.b.measures, name, &MeasureStats::max)});
  }
  return out;
}

std::string differences_text(const CompareReport& r) {
  if (r.differences.empty()) return "verdicts agree on every seed both sides ran\n";
  std::string out = fmt::format("verdicts differ on {} seeds:\n", r.differences.size());
  for (const auto& d : r.differences) {
    out += fmt::format("  seed {}: A {}, B {}\n", d.seed, d.a.text(), d.b.text());
    if (d.a.exit_code != exit_code::ok) out += fmt::format("    reproduce A: {}\n", d.a.reproduce);
    if (d.b.exit_code != exit_code::ok) out += fmt::format("    reproduce B: {}\n", d.b.reproduce);
  }
  return out;
}

nlohmann::json side_json(const CompareSideReport& side) {
  nlohmann::json measures = nlohmann::json::object();
  for (const auto& [name, s] : side.measures) {
    measures[name] = {{"seeds", s.seeds}, {"mean", s.mean}, {"median", s.median}, {"max", s.max}};
  }
  return {
      {"name", side.name},
      {"source", side.source},
      {"overrides", side.overrides},
      {"seeds_run", side.summary.seeds_run},
      {"seeds_failed", side.summary.seeds_failed},
      {"seeds_rechecked", side.summary.seeds_rechecked},
      {"failures_by_property", side.summary.failures_by_property},
      {"vacuous_by_property", side.summary.vacuous_by_property},
      {"wall_seconds", side.summary.wall_seconds},
      {"exit_code", side.summary.exit_code},
      {"measures", measures},
  };
}

nlohmann::json verdict_json(const SeedVerdict& v) {
  return {{"exit_code", v.exit_code}, {"verdict", v.text()}, {"properties", v.properties}, {"reproduce", v.reproduce}};
}

}  // namespace

std::string to_text(const CompareReport& r) {
  std::size_t width = kNameWidth;
  for (const auto& name : r.measure_names()) width = std::max(width, name.size());
  std::string out = fmt::format("compare over seeds {}:{}\n", r.seeds.begin, r.seeds.end);
  out += fmt::format("  A: {}\n  B: {}\n\n", side_label(r.a), side_label(r.b));
  out += verdict_table(r, width);
  out += '\n';
  out += measure_table(r, width);
  out += '\n';
  out += differences_text(r);
  out += fmt::format("exit code {} (the worse of A's and B's)\n", r.exit_code());
  return out;
}

std::string to_json(const CompareReport& r) {
  nlohmann::json ratios = nlohmann::json::object();
  for (const auto& name : r.measure_names()) {
    const auto ratio = r.ratio(name);
    ratios[name] = ratio ? nlohmann::json(*ratio) : nlohmann::json(nullptr);
  }
  nlohmann::json differences = nlohmann::json::array();
  for (const auto& d : r.differences) {
    differences.push_back({{"seed", d.seed}, {"a", verdict_json(d.a)}, {"b", verdict_json(d.b)}});
  }
  const nlohmann::json j = {
      {"compare", true},
      {"seeds", fmt::format("{}:{}", r.seeds.begin, r.seeds.end)},
      {"a", side_json(r.a)},
      {"b", side_json(r.b)},
      {"ratios", ratios},
      {"differences", differences},
      {"exit_code", r.exit_code()},
  };
  return j.dump();
}

}  // namespace weir::scenarios
