// weir::gen fault schedules: generated within their options, placed by gaps,
// and shrunk so that dropping a fault keeps every other fault's time and
// shrinking a gap keeps the later faults' spacing.
#include <algorithm>
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/gen/fault_schedule.h"

using namespace weir;
using scenarios::FaultKind;
using sim::Duration;

namespace {

gen::FaultScheduleOptions options() {
  gen::FaultScheduleOptions o;
  o.kinds = {FaultKind::ingester_kill, FaultKind::disk_slow, FaultKind::network_drop, FaultKind::brokers_crash_together};
  o.faults_max = 6;
  return o;
}

std::vector<Duration> start_times(const gen::FaultSchedule& schedule) {
  std::vector<Duration> times;
  for (const auto& f : gen::to_scheduled(schedule, Duration(), Duration::seconds(3600))) times.push_back(f.at);
  return times;
}

bool whole_ms(Duration d) { return d.ns() % 1'000'000 == 0; }

// Total simplicity measure: every shrink lowers it, so shrinking ends.
std::int64_t weight(const gen::FaultSchedule& schedule) {
  std::int64_t w = static_cast<std::int64_t>(schedule.size()) * 1'000'000'000'000;
  for (const auto& f : schedule) {
    w += f.gap.ns() / 1'000'000 + f.duration.ns() / 1'000'000 + (f.magnitude != 0) + (f.target != 0);
  }
  return w;
}

}  // namespace

TEST_CASE("generated schedules keep to their options, in whole milliseconds", "[gen]") {
  CHECK(rc::check("schedule within options", [] {
    const auto o = options();
    const auto schedule = *gen::fault_schedule(o);
    RC_ASSERT(schedule.size() <= static_cast<std::size_t>(o.faults_max));
    for (const auto& f : schedule) {
      RC_ASSERT(whole_ms(f.gap));
      RC_ASSERT(whole_ms(f.duration));
      RC_ASSERT(f.gap >= Duration());
      RC_ASSERT(f.gap <= o.gap_max);
      RC_ASSERT(f.duration >= o.duration_min);
      RC_ASSERT(f.duration <= o.duration_max);
      RC_ASSERT(std::find(o.kinds.begin(), o.kinds.end(), f.kind) != o.kinds.end());
      RC_ASSERT(f.target >= 0);
      RC_ASSERT(f.target < o.targets);
      if (scenarios::magnitude_unit(f.kind) == scenarios::MagnitudeUnit::none) RC_ASSERT(f.magnitude == 0.0);
      if (scenarios::magnitude_unit(f.kind) == scenarios::MagnitudeUnit::probability) RC_ASSERT(f.magnitude <= 1.0);
    }
  }));
}

TEST_CASE("the same RapidCheck seed draws the same schedule", "[gen]") {
  const auto generator = gen::fault_schedule(options());
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto a = generator(rc::Random(seed), 100).value();
    const auto b = generator(rc::Random(seed), 100).value();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].gap == b[i].gap);
      CHECK(a[i].kind == b[i].kind);
      CHECK(a[i].duration == b[i].duration);
      CHECK(a[i].target == b[i].target);
      CHECK(a[i].magnitude == b[i].magnitude);
    }
  }
}

TEST_CASE("draws cover the whole of each range, at every RapidCheck size", "[gen]") {
  const auto o = options();
  const auto generator = gen::fault_schedule(o);
  for (int size : {0, 10, 100}) {
    INFO("size " << size);
    Duration gap_max, duration_max;
    int target_max = 0, magnitudes = 0;
    std::size_t length_max = 0;
    for (std::uint64_t seed = 0; seed < 400; ++seed) {
      const auto schedule = generator(rc::Random(seed), size).value();
      length_max = std::max(length_max, schedule.size());
      for (const auto& f : schedule) {
        gap_max = std::max(gap_max, f.gap);
        duration_max = std::max(duration_max, f.duration);
        target_max = std::max(target_max, f.target);
        magnitudes += f.magnitude != 0;
      }
    }
    CHECK(length_max == static_cast<std::size_t>(o.faults_max));
    CHECK(gap_max > o.gap_max * 9 / 10);
    CHECK(duration_max > o.duration_max * 9 / 10);
    CHECK(target_max == o.targets - 1);
    CHECK(magnitudes > 0);
  }
}

TEST_CASE("a schedule becomes absolute times: gaps add up, the end cuts faults short", "[gen]") {
  const gen::FaultSchedule schedule = {
      {Duration::seconds(2), FaultKind::ingester_kill, Duration::seconds(4), 1, 0},
      {Duration::seconds(3), FaultKind::disk_slow, Duration::seconds(10), 0, 5},
      {Duration::seconds(20), FaultKind::network_drop, Duration::seconds(1), 0, 0},
  };
  const auto faults = gen::to_scheduled(schedule, Duration::seconds(5), Duration::seconds(15));
  REQUIRE(faults.size() == 2);  // the third would start at 30 s, past the end
  CHECK(faults[0].at == Duration::seconds(7));
  CHECK(faults[0].duration == Duration::seconds(4));
  CHECK(faults[0].target == 1);
  CHECK(faults[1].at == Duration::seconds(10));
  CHECK(faults[1].duration == Duration::seconds(5));  // cut to end at 15 s
  CHECK(faults[1].magnitude == 5);
}

TEST_CASE("dropping a fault keeps every other fault's time", "[gen]") {
  CHECK(rc::check("removals keep start times", [] {
    const auto schedule = *gen::fault_schedule(options());
    const auto times = start_times(schedule);
    for (const auto& shrink : gen::schedule_shrinks(schedule, options())) {
      if (shrink.size() >= schedule.size()) continue;
      for (const Duration t : start_times(shrink)) RC_ASSERT(std::count(times.begin(), times.end(), t) > 0);
    }
  }));
}

TEST_CASE("shrinking a gap moves the later faults together, keeping their spacing", "[gen]") {
  const gen::FaultSchedule schedule = {
      {Duration::seconds(2), FaultKind::ingester_kill, Duration::seconds(1), 0, 0},
      {Duration::seconds(4), FaultKind::disk_slow, Duration::seconds(1), 0, 0},
      {Duration::seconds(6), FaultKind::network_drop, Duration::seconds(1), 0, 0},
  };
  bool saw_gap_shrink = false;
  for (const auto& shrink : gen::schedule_shrinks(schedule, options())) {
    if (shrink.size() != 3 || shrink[1].gap == schedule[1].gap) continue;
    saw_gap_shrink = true;
    const auto times = start_times(shrink);
    CHECK(times[0] == Duration::seconds(2));
    CHECK(times[1] == Duration::seconds(4));  // 2 s + half of 4 s
    CHECK(times[2] - times[1] == Duration::seconds(6));
  }
  CHECK(saw_gap_shrink);
}

TEST_CASE("every shrink is simpler, so shrinking ends; drops come first", "[gen]") {
  CHECK(rc::check("shrinks are simpler", [] {
    const auto schedule = *gen::fault_schedule(options());
    const auto shrinks = gen::schedule_shrinks(schedule, options());
    for (const auto& shrink : shrinks) RC_ASSERT(weight(shrink) < weight(schedule));
    if (!schedule.empty()) RC_ASSERT(shrinks.front().size() < schedule.size());
  }));
}

TEST_CASE("bad options are refused with their name", "[gen]") {
  gen::FaultScheduleOptions o;
  o.duration_max = Duration::milliseconds(500);
  CHECK_THROWS_WITH(gen::fault_schedule(o), Catch::Contains("duration_max must be at least duration_min"));
  o = {};
  o.targets = 0;
  CHECK_THROWS_WITH(gen::gapped_fault(o), Catch::Contains("targets must be at least 1"));
}

TEST_CASE("a schedule applies to a scenario from the time its clients start", "[gen]") {
  const auto scenario = scenarios::Scenario::builtin("chaos-diskless");
  const gen::FaultSchedule schedule = {{Duration::milliseconds(1500), FaultKind::zone_partition, Duration::seconds(2), 1, 0}};
  const auto faulted = gen::with_schedule(scenario, schedule);
  const auto& plan = faulted.options().faults;
  CHECK_FALSE(plan.swarm.enabled);
  REQUIRE(plan.faults.size() == 1);
  CHECK(plan.faults[0].at == scenario.options().clients_start_after + Duration::milliseconds(1500));
  std::ostringstream shown;
  gen::showValue(schedule[0], shown);
  CHECK(shown.str() == "+1.500s zone_partition[1] for 2.000s");
}
