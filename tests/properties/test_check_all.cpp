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

TEST_CASE("check_all runs the enabled checkers in DESIGN.md order", "[check_all]") {
  const History history = broken_history();
  CHECK(properties_of(check_all(history)) ==
        std::vector<std::string>{"no_lost_acked_samples", "no_phantom_samples", "no_duplicate_samples"});
  CheckOptions options;
  options.enabled.no_phantom_samples = false;
  options.enabled.no_lost_acked_samples = false;
  CHECK(properties_of(check_all(history, options)) == std::vector<std::string>{"no_duplicate_samples"});
}

TEST_CASE("check_all passes an empty history", "[check_all]") {
  CHECK(check_all(History{}).empty());
}

TEST_CASE("property kinds decide the exit code", "[check_all]") {
  CHECK(property_kind("liveness") == PropertyKind::liveness);
  CHECK(property_kind("no_lost_acked_samples") == PropertyKind::safety);
  CHECK(property_kind("bounded_staleness") == PropertyKind::safety);
}

TEST_CASE("each checker lists at most the cap, then counts the rest", "[check_all]") {
  History history;
  for (int i = 0; i < 10; ++i) {
    add_read(history, ReadConsistency::eventual, select({1}, 0, 10), secs(1), secs(2), "zone-a",
             {SeriesResult{1, {Sample{5, 1.0}}}});
  }
  CheckOptions options;
  options.max_violations_per_property = 3;
  const auto violations = check_no_phantom_samples(history, options);
  REQUIRE(violations.size() == 4);
  CHECK_THAT(violations[3].message, Contains("and 7 more violations of no_phantom_samples"));
}
