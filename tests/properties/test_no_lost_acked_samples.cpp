#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_no_lost_acked_samples(history, options).violations;
}

const SampleRun kRunA = make_run(0xA1, 1000, 1000, 3);  // ts 1000, 2000, 3000
const SampleRun kRunB = make_run(0xB2, 1000, 1000, 3);
const ReadSelector kAll = select({0xA1, 0xB2}, 0, 10'000);

}  // namespace

TEST_CASE("no_lost: every acked sample in every zone's final read passes", "[no_lost]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA, kRunB});
  add_final_read(history, "zone-a", kAll, secs(100), results_of({kRunA, kRunB}));
  add_final_read(history, "zone-b", kAll, secs(100), results_of({kRunA, kRunB}));
  CHECK(check(history).empty());
}

TEST_CASE("no_lost: a sample missing from one zone's final read fails", "[no_lost]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA, kRunB});
  add_final_read(history, "zone-a", kAll, secs(100), results_of({kRunA, kRunB}));
  auto result = results_of({kRunA, kRunB});
  erase_sample(result, 0xA1, 2000);
  add_final_read(history, "zone-b", kAll, secs(100), result);

  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "no_lost_acked_samples");
  CHECK_THAT(violations[0].message, Contains("acked write #0"));
  CHECK_THAT(violations[0].message, Contains("acked 2s"));
  CHECK_THAT(violations[0].message, Contains("1 of 6 samples missing"));
  CHECK_THAT(violations[0].message, Contains("zone zone-b (read #1)"));
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 2000"));
  // The same ids, as data.
  const Evidence& e = violations[0].evidence;
  CHECK(e.write == 0u);
  CHECK(e.read == 1u);
  CHECK(e.series == 0xA1u);
  CHECK(e.sample_ts_ms == 2000);
  CHECK(e.zones == std::vector<std::string>{"zone-b"});
  CHECK(e.from_ns == secs(1));
  CHECK(e.to_ns == secs(100) + millis(10));  // the final read answered
  CHECK_FALSE(e.partition);
}

TEST_CASE("no_lost: a sample with another value fails", "[no_lost]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA});
  auto result = results_of({kRunA});
  result[0].samples[1].value = 7.25;
  add_final_read(history, "zone-a", kAll, secs(100), result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("another value"));
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 2000"));
  CHECK_THAT(violations[0].message, Contains("read value 7.25"));
}

TEST_CASE("no_lost: a declared zone without a successful final read is unproven: liveness, not no_lost",
          "[no_lost]") {
  History history;
  history.declare_zone("zone-a");
  history.declare_zone("zone-c");
  add_acked_write(history, secs(1), secs(2), {kRunA});
  add_final_read(history, "zone-a", kAll, secs(100), results_of({kRunA}));
  const ReadId failed = history.record_read_invoke(ReadConsistency::eventual, kAll, secs(100), true);
  history.record_read_failed(failed, secs(101), "zone-c", "querier-c", "timeout");

  CHECK(check(history).empty());
  CHECK(check_no_lost_acked_samples(history, options).judged == 3);  // zone-a's only
  const auto liveness = check_liveness(history, options).violations;
  REQUIRE(liveness.size() == 1);
  CHECK(liveness[0].property == "liveness");
  CHECK_THAT(liveness[0].message, Contains("zone zone-c"));
  CHECK_THAT(liveness[0].message, Contains("read #1 (failed: timeout)"));
  CHECK_THAT(liveness[0].message, Contains("left 3 acked samples unproven"));
  CHECK_THAT(liveness[0].message, Contains("series 0x00000000000000a1 ts 1000"));
}

TEST_CASE("no_lost: samples no final read covers are unproven, not lost", "[no_lost]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA});
  add_final_read(history, "zone-a", select({0xA1}, 0, 1500), secs(100), results_of({make_run(0xA1, 1000, 1, 1)}));
  CHECK(check(history).empty());
  const auto liveness = check_liveness(history, options).violations;
  REQUIRE(liveness.size() == 1);
  CHECK_THAT(liveness[0].message, Contains("left 2 acked samples unproven"));
  CHECK_THAT(liveness[0].message, Contains("ts 2000"));
}

TEST_CASE("no_lost: writes that were not acked are never required", "[no_lost]") {
  const auto outcome = GENERATE(WriteOutcome::timed_out, WriteOutcome::pending,
                                WriteOutcome::failed, WriteOutcome::rejected);
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA});
  add_write(history, secs(1), secs(3), outcome, {kRunB});
  add_final_read(history, "zone-a", kAll, secs(100), results_of({kRunA}));
  INFO(to_string(outcome));
  CHECK(check(history).empty());
}

TEST_CASE("no_lost: a history without final reads or zones has nothing to check", "[no_lost]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRunA});
  CHECK(check(history).empty());
}
