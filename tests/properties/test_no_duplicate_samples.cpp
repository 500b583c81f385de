#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_no_duplicate_samples(history, options).violations;
}

const SampleRun kRun = make_run(0xA1, 1000, 1000, 3);
const ReadSelector kSel = select({0xA1}, 0, 10'000);

}  // namespace

TEST_CASE("duplicates: distinct timestamps pass, even when writes overlapped", "[duplicates]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  add_acked_write(history, secs(1), secs(2), {kRun});  // a retried write
  add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", results_of({kRun, kRun}));
  CHECK(check(history).empty());
}

TEST_CASE("duplicates: a timestamp twice within one series fails", "[duplicates]") {
  History history;
  auto result = results_of({kRun});
  result[0].samples.push_back(result[0].samples[1]);
  add_read(history, ReadConsistency::strong, kSel, secs(3), secs(4), "zone-c", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "no_duplicate_samples");
  CHECK_THAT(violations[0].message, Contains("strong read #0"));
  CHECK_THAT(violations[0].message, Contains("zone zone-c"));
  CHECK_THAT(violations[0].message, Contains("returned 1 duplicate samples; first: series 0x00000000000000a1 ts 2000 returned twice"));
}

TEST_CASE("duplicates: a timestamp in two results of one series fails", "[duplicates]") {
  History history;
  auto result = results_of({kRun});
  result.push_back(SeriesResult{0xA1, {Sample{3000, 1.0}}});
  add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 3000 returned twice"));
  CHECK_THAT(violations[0].message, Contains("and 1)"));
}
