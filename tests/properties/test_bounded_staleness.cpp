#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const ReadSelector kSel = select({0xA1, 0xB2}, 0, 10'000);
const SampleRun kOld = make_run(0xA1, 1000, 1000, 2);
const SampleRun kNew = make_run(0xB2, 1000, 1000, 2);

// Write #0 acked at 2 s, write #1 acked at 10 s; eventual reads at 12 s:
// one sees both (0 s stale), one misses #1 (2 s), one misses both (10 s).
History staleness_history() {
  History history;
  add_acked_write(history, secs(1), secs(2), {kOld});
  add_acked_write(history, secs(9), secs(10), {kNew});
  add_write(history, secs(9), secs(11), WriteOutcome::timed_out, {make_run(0xB2, 5000, 1, 1)});
  add_read(history, ReadConsistency::eventual, kSel, secs(12), secs(13), "zone-a", results_of({kOld, kNew}));
  add_read(history, ReadConsistency::eventual, kSel, secs(12), secs(13), "zone-b", results_of({kOld}));
  add_read(history, ReadConsistency::eventual, kSel, secs(12), secs(13), "zone-c", {});
  add_read(history, ReadConsistency::strong, kSel, secs(12), secs(13), "zone-a", {});  // not measured
  return history;
}

}  // namespace

TEST_CASE("staleness: each eventual read is measured against the oldest write it missed",
          "[staleness]") {
  const auto measured = eventual_read_staleness(staleness_history());
  REQUIRE(measured.size() == 3);
  CHECK(measured[0].staleness == 0);
  CHECK_FALSE(measured[0].oldest_missed_write);
  CHECK(measured[1].staleness == secs(2));
  CHECK(measured[1].oldest_missed_write == std::optional<WriteId>(1));
  CHECK(measured[2].staleness == secs(10));
  CHECK(measured[2].oldest_missed_write == std::optional<WriteId>(0));
  CHECK(measured[2].missed_series == 0xA1);
  CHECK(measured[2].missed_ts == 1000);
}

TEST_CASE("staleness: the distribution reports min, p50, p99 and max", "[staleness]") {
  const auto distribution = staleness_distribution(staleness_history());
  CHECK(distribution == StalenessDistribution{3, 0, secs(2), secs(10), secs(10)});
  CHECK(staleness_distribution(History{}) == StalenessDistribution{});
}

TEST_CASE("staleness: without a bound nothing is a violation", "[staleness]") {
  CHECK(check_bounded_staleness(staleness_history(), CheckOptions{}).violations.empty());
}

TEST_CASE("staleness: reads staler than the bound fail", "[staleness]") {
  CheckOptions options;
  options.staleness_bound = secs(5);
  const auto violations = check_bounded_staleness(staleness_history(), options).violations;
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "bounded_staleness");
  CHECK_THAT(violations[0].message, Contains("eventual read #2 (invoked 12s, answered by zone zone-c"));
  CHECK_THAT(violations[0].message, Contains("was 10s stale, over the bound 5s"));
  CHECK_THAT(violations[0].message, Contains("missed series 0x00000000000000a1 ts 1000 of write #0 acked 2s"));
}

TEST_CASE("staleness: a missing ambiguous write does not make a read stale", "[staleness]") {
  History history;
  add_write(history, secs(1), secs(2), WriteOutcome::timed_out, {kOld});
  add_read(history, ReadConsistency::eventual, kSel, secs(12), secs(13), "zone-a", {});
  const auto measured = eventual_read_staleness(history);
  REQUIRE(measured.size() == 1);
  CHECK(measured[0].staleness == 0);
}
