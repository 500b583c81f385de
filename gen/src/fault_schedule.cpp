#include "weir/gen/fault_schedule.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "one_of.h"

namespace weir::gen {
namespace {

using scenarios::FaultKind;
using scenarios::MagnitudeUnit;

// A magnitude by level: level 0 is the kind's default (written as 0), the
// others a gentle, a strong and an extreme value of the kind's unit.
double magnitude_at(FaultKind kind, int level) {
  static constexpr double kMultipliers[] = {0, 2, 5, 50};
  static constexpr double kProbabilities[] = {0, 0.05, 0.5, 1.0};
  static constexpr double kCounts[] = {0, 2, 3, 3};
  switch (scenarios::magnitude_unit(kind)) {
    case MagnitudeUnit::multiplier: return kMultipliers[level];
    case MagnitudeUnit::probability: return kProbabilities[level];
    case MagnitudeUnit::count: return kCounts[level];
    case MagnitudeUnit::none: return 0;
  }
  return 0;
}

rc::Gen<sim::Duration> whole_ms(sim::Duration min, sim::Duration max) {
  const std::int64_t lo = min.ns() / 1'000'000;
  const std::int64_t hi = max.ns() / 1'000'000;
  return rc::gen::map(rc::gen::inRange<std::int64_t>(lo, hi + 1),
                      [](std::int64_t ms) { return sim::Duration::milliseconds(ms); });
}

void throw_if_invalid(const FaultScheduleOptions& options) {
  if (auto error = options.validate()) throw std::invalid_argument("fault schedule options: " + *error);
}

}  // namespace

std::optional<std::string> FaultScheduleOptions::validate() const {
  if (faults_max < 0) return "faults_max must not be negative";
  if (gap_max < sim::Duration()) return "gap_max must not be negative";
  if (duration_min < sim::Duration::milliseconds(1)) return "duration_min must be at least 1 ms";
  if (duration_max < duration_min) return "duration_max must be at least duration_min";
  if (targets < 1) return "targets must be at least 1";
  return std::nullopt;
}

rc::Gen<GappedFault> gapped_fault(const FaultScheduleOptions& options) {
  throw_if_invalid(options);
  std::vector<FaultKind> kinds = options.kinds;
  if (kinds.empty()) kinds.assign(std::begin(scenarios::kAllFaultKinds), std::end(scenarios::kAllFaultKinds));
  auto parts = rc::gen::tuple(whole_ms(sim::Duration(), options.gap_max), rc::gen::elementOf(kinds),
                              whole_ms(options.duration_min, options.duration_max),
                              rc::gen::inRange(0, options.targets), rc::gen::inRange(0, 4));
  auto fault = rc::gen::map(std::move(parts), [](const auto& t) {
    const auto& [gap, kind, duration, target, level] = t;
    return GappedFault{gap, kind, duration, target, magnitude_at(kind, level)};
  });
  // RapidCheck scales a range by its size, which grows from 0 over a run
  // (and which fault_schedule pins to faults_max for the list's length): at
  // full size, every draw covers the whole of its range.
  return rc::gen::resize(kFullSize, std::move(fault));
}

rc::Gen<FaultSchedule> fault_schedule(const FaultScheduleOptions& options) {
  // A container's length grows with RapidCheck's size; resizing to
  // faults_max makes it uniform in [0, faults_max]. RapidCheck's own
  // shrinking of a list would move every later fault when it drops one, so
  // the schedule shrinks by schedule_shrinks alone.
  auto drawn = rc::gen::noShrink(
      rc::gen::resize(options.faults_max, rc::gen::container<FaultSchedule>(gapped_fault(options))));
  return rc::gen::shrink(std::move(drawn), [options](const FaultSchedule& schedule) {
    return rc::seq::fromContainer(schedule_shrinks(schedule, options));
  });
}

namespace {

// Without faults [begin, end); their gaps pass to the fault after them.
FaultSchedule without(const FaultSchedule& schedule, std::size_t begin, std::size_t end) {
  FaultSchedule kept(schedule.begin(), schedule.begin() + static_cast<std::ptrdiff_t>(begin));
  sim::Duration carried;
  for (std::size_t i = begin; i < end; ++i) carried += schedule[i].gap;
  for (std::size_t i = end; i < schedule.size(); ++i) {
    kept.push_back(schedule[i]);
    if (i == end) kept.back().gap += carried;
  }
  return kept;
}

void add_removals(const FaultSchedule& schedule, std::vector<FaultSchedule>& out) {
  for (std::size_t chunk = schedule.size() / 2; chunk >= 1; chunk /= 2) {
    for (std::size_t begin = 0; begin + chunk <= schedule.size(); begin += chunk) {
      out.push_back(without(schedule, begin, begin + chunk));
    }
  }
  if (schedule.size() == 1) out.push_back({});
}

sim::Duration halfway(sim::Duration from, sim::Duration to) {
  const std::int64_t ms = (from.ns() / 1'000'000 + to.ns() / 1'000'000) / 2;
  return sim::Duration::milliseconds(ms);
}

void add_simplifications(const FaultSchedule& schedule, const FaultScheduleOptions& options,
                         std::vector<FaultSchedule>& out) {
  auto with = [&](std::size_t i, auto change) {
    FaultSchedule simpler = schedule;
    change(simpler[i]);
    out.push_back(std::move(simpler));
  };
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const GappedFault& f = schedule[i];
    if (f.duration > options.duration_min) {
      with(i, [&](GappedFault& g) { g.duration = halfway(f.duration, options.duration_min); });
    }
    if (f.magnitude != 0) with(i, [](GappedFault& g) { g.magnitude = 0; });
    if (f.target != 0) with(i, [](GappedFault& g) { g.target = 0; });
  }
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    if (schedule[i].gap > sim::Duration()) {
      with(i, [&](GappedFault& g) { g.gap = halfway(schedule[i].gap, sim::Duration()); });
    }
  }
}

}  // namespace

std::vector<FaultSchedule> schedule_shrinks(const FaultSchedule& schedule, const FaultScheduleOptions& options) {
  std::vector<FaultSchedule> out;
  add_removals(schedule, out);
  add_simplifications(schedule, options, out);
  return out;
}

std::vector<scenarios::ScheduledFault> to_scheduled(const FaultSchedule& schedule, sim::Duration start,
                                                    sim::Duration end) {
  std::vector<scenarios::ScheduledFault> faults;
  sim::Duration at = start;
  for (const GappedFault& fault : schedule) {
    at += fault.gap;
    const sim::Duration left = end - at;
    if (left < sim::Duration::milliseconds(1)) continue;
    faults.push_back({fault.kind, at, std::min(fault.duration, left), fault.target, fault.magnitude});
  }
  return faults;
}

scenarios::Scenario with_schedule(const scenarios::Scenario& scenario, const FaultSchedule& schedule) {
  const scenarios::PipelineOptions& o = scenario.options();
  return scenario.with_faults(to_scheduled(schedule, o.clients_start_after, o.write_phase));
}

void showValue(const GappedFault& fault, std::ostream& os) {
  os << fmt::format("+{:.3f}s {}[{}] for {:.3f}s", fault.gap.seconds_f(), scenarios::to_string(fault.kind),
                    fault.target, fault.duration.seconds_f());
  if (fault.magnitude != 0) os << fmt::format(" x{}", fault.magnitude);
}

}  // namespace weir::gen
