#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

// Breaks properties 1, 5 and 6 at once: a lost sample, a phantom, a duplicate.
History broken_history() {
  History history;
  const SampleRun run = make_run(0xA1, 1000, 1000, 3);
  add_acked_write(history, secs(1), secs(2), {run});
  auto result = results_of({run});
  erase_sample(result, 0xA1, 1000);
  result[0].samples.push_back(Sample{9000, 1.0});
  result[0].samples.push_back(Sample{9000, 1.0});
  add_final_read(history, "zone-a", select({0xA1}, 0, 10'000), secs(100), result);
  return history;
}

std::vector<std::string> properties_of(const std::vector<Violation>& violations) {
  std::vector<std::string> ids;
  for (const auto& v : violations) ids.push_back(v.property);
  return ids;
}

}  // namespace

TEST_CASE("check_all runs the enabled checkers in property id order", "[check_all]") {
  const History history = broken_history();
  CHECK(properties_of(check_all(history).violations()) ==
        std::vector<std::string>{"no_lost_acked_samples", "no_phantom_samples", "no_duplicate_samples"});
  CheckOptions options;
  options.enabled.no_phantom_samples = false;
  options.enabled.no_lost_acked_samples = false;
  CHECK(properties_of(check_all(history, options).violations()) == std::vector<std::string>{"no_duplicate_samples"});
}

TEST_CASE("check_all passes an empty history", "[check_all]") {
  CHECK(check_all(History{}).violations().empty());
}

TEST_CASE("property kinds decide the exit code", "[check_all]") {
  CHECK(property_kind("liveness") == PropertyKind::liveness);
  CHECK(property_kind("no_lost_acked_samples") == PropertyKind::safety);
  CHECK(property_kind("bounded_staleness") == PropertyKind::safety);
  CHECK(property_kind("exact_resume") == PropertyKind::safety);
}

TEST_CASE("each checker lists at most the cap, then counts the rest", "[check_all]") {
  History history;
  for (int i = 0; i < 10; ++i) {
    add_read(history, ReadConsistency::eventual, select({1}, 0, 10), secs(1), secs(2), "zone-a",
             {SeriesResult{1, {Sample{5, 1.0}}}});
  }
  CheckOptions options;
  options.max_violations_per_property = 3;
  const auto violations = check_no_phantom_samples(history, options).violations;
  REQUIRE(violations.size() == 4);
  CHECK_THAT(violations[3].message, Contains("and 7 more violations of no_phantom_samples"));
}

namespace {

// One acked write of 3 samples, read back whole by a strong read and by a
// final read in each of two zones, with both zones applying offsets 0..1.
History judged_history() {
  History history;
  history.declare_zone("zone-a");
  history.declare_zone("zone-b");
  const SampleRun run = make_run(0xA1, 1000, 1000, 3);
  add_acked_write(history, secs(1), secs(2), {run});
  add_read(history, ReadConsistency::strong, select({0xA1}, 0, 10'000), secs(3), secs(4), "zone-a", results_of({run}));
  for (const char* zone : {"zone-a", "zone-b"}) {
    history.record_restarted(zone, 0, secs(0), 0);
    history.record_applied(zone, 0, 0, 7, secs(1));
    history.record_applied(zone, 0, 1, 8, secs(1));
    history.record_lag(zone, 0, secs(5), 0);
    add_final_read(history, zone, select({0xA1}, 0, 10'000), secs(100), results_of({run}));
  }
  history.record_log_ack(0, 0, 7, secs(1));
  history.record_log_bounds(0, 0, 2);
  history.record_drain_completed(secs(100));
  return history;
}

}  // namespace

TEST_CASE("every property counts what it judged", "[check_all][evidence]") {
  const CheckReport report = check_all(judged_history());
  INFO(describe(report.violations()));
  CHECK(report.violations().empty());
  const std::map<std::string, std::uint64_t> expected = {
      {"no_lost_acked_samples", 6},  // 3 samples x 2 zones
      {"gapless_replay", 4},         // 2 records applied in each zone
      {"identical_ordering", 8},     // 4 applied in order, offset 0 against the log in each zone, 2 positions between zones
      {"read_after_write", 1},       // the one strong read saw a write acked before it
      {"no_phantom_samples", 9},     // 3 samples in each of 3 successful reads
      {"no_duplicate_samples", 9},
      {"liveness", 5},               // 2 ingesters' lag, 1 strong read, 2 zones' final reads
      {"exact_resume", 2},           // each zone's first start, against the log start
  };
  CHECK(report.checked() == expected);
  CHECK(report.vacuous().empty());
}

TEST_CASE("a property that judged nothing is vacuous, and bounded staleness needs a bound to be enabled",
          "[check_all][evidence]") {
  const CheckReport empty = check_all(History{});
  CHECK(empty.violations().empty());
  CHECK(empty.vacuous() == std::vector<std::string>{"no_lost_acked_samples", "gapless_replay", "identical_ordering",
                                                    "read_after_write", "no_phantom_samples",
                                                    "no_duplicate_samples", "liveness", "exact_resume"});
  CheckOptions bounded;
  bounded.staleness_bound = secs(1);
  CHECK(check_all(judged_history()).checked().count("bounded_staleness") == 0);  // no bound: not enabled
  CHECK(check_all(judged_history(), bounded).checked().at("bounded_staleness") == 2);  // the final reads
  History eventual = judged_history();
  add_read(eventual, ReadConsistency::eventual, select({0xA1}, 0, 10'000), secs(5), secs(6), "zone-b", {});
  CHECK(check_all(eventual, bounded).checked().at("bounded_staleness") == 3);
}

TEST_CASE("a read before any acked write is not judged by read-after-write", "[check_all][evidence]") {
  History history;
  add_read(history, ReadConsistency::strong, select({0xA1}, 0, 10'000), secs(1), secs(2), "zone-a", {});
  add_acked_write(history, secs(3), secs(4), {make_run(0xA1, 1000, 1000, 1)});
  CHECK(check_all(history).checked().at("read_after_write") == 0);
}

TEST_CASE("too few observations fail as min_observations, naming the property and the count",
          "[check_all][evidence]") {
  CheckOptions options;
  options.min_observations.read_after_write = 20;
  options.min_observations.no_lost_acked_samples = 6;  // met exactly
  const CheckReport report = check_all(judged_history(), options);
  REQUIRE(report.shortfalls.size() == 1);
  const Violation& shortfall = report.shortfalls[0];
  CHECK(shortfall.property == "min_observations");
  CHECK(shortfall.message == "read_after_write judged 1 strong reads, the scenario requires at least 20");
  CHECK(report.violations().back() == shortfall);
  CHECK(property_kind(shortfall.property) == PropertyKind::liveness);
}

TEST_CASE("a disabled property is neither checked nor held to its minimum", "[check_all][evidence]") {
  CheckOptions options;
  options.enabled.read_after_write = false;
  options.min_observations.read_after_write = 20;
  const CheckReport report = check_all(judged_history(), options);
  CHECK(report.shortfalls.empty());
  CHECK(report.checked().count("read_after_write") == 0);
}

TEST_CASE("exact resume runs last, in property id order, and can be turned off", "[check_all][exact_resume]") {
  History history = judged_history();
  history.record_committed("zone-a", 0, 1, secs(2));
  history.record_restarted("zone-a", 0, secs(3), 0);  // replays committed records
  history.record_applied("zone-a", 0, 0, 7, secs(3));
  history.record_applied("zone-a", 0, 1, 8, secs(3));
  const CheckReport report = check_all(history);
  REQUIRE(report.properties.back().property == "exact_resume");
  REQUIRE(report.violations().size() == 1);
  CHECK(report.violations()[0].property == "exact_resume");
  CHECK(report.checked().at("exact_resume") == 3);
  CheckOptions off;
  off.enabled.exact_resume = false;
  CHECK(check_all(history, off).violations().empty());
  CHECK(check_all(history, off).checked().count("exact_resume") == 0);
  CHECK(judged_unit("exact_resume") == "restarts");
}
