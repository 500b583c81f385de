#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

CheckOptions options_with_bound(SimDuration bound) {
  CheckOptions options;
  options.liveness_bound = bound;
  return options;
}

const ReadSelector kSel = select({0xA1}, 0, 10'000);

// Faults healed at 100 s; the bound is 30 s, so the deadline is 130 s.
History healed_history() {
  History history;
  history.record_fault_healed(secs(100));
  history.record_lag("zone-a", 0, secs(90), secs(40));
  history.record_lag("zone-a", 0, secs(110), secs(5));
  history.record_lag("zone-a", 0, secs(120), millis(200));
  history.record_lag("zone-b", 0, secs(125), millis(10));
  return history;
}

std::vector<Violation> check(const History& history) {
  return check_liveness(history, options_with_bound(secs(30))).violations;
}

}  // namespace

TEST_CASE("liveness: lag back under 1 s and strong reads done in time pass", "[liveness]") {
  History history = healed_history();
  const ReadId pending = history.record_read_invoke(ReadConsistency::strong, kSel, secs(95));
  history.record_read_complete(pending, secs(129), "zone-a", "q", {});
  const ReadId failed = history.record_read_invoke(ReadConsistency::strong, kSel, secs(99));
  history.record_read_failed(failed, secs(110), "zone-a", "q", "timeout");  // invoked during faults: may fail
  history.record_read_invoke(ReadConsistency::eventual, kSel, secs(96));  // eventual: not owed
  history.record_end(secs(200));
  INFO(describe(check(history)));
  CHECK(check(history).empty());
}

TEST_CASE("liveness: lag under 1 s only after the deadline fails", "[liveness]") {
  History history = healed_history();
  history.record_lag("zone-b", 0, secs(126), secs(3));
  history.record_lag("zone-b", 0, secs(131), millis(500));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "liveness");
  CHECK(property_kind(violations[0].property) == PropertyKind::liveness);
  CHECK_THAT(violations[0].message, Contains("zone zone-b partition 0: lag got under 1s only at 131s, after the deadline 130s (last fault healed 100s + bound 30s); it was 3s at 126s"));
}

TEST_CASE("liveness: lag that never gets under 1 s fails", "[liveness]") {
  History history = healed_history();
  history.record_lag("zone-a", 0, secs(150), millis(1500));
  history.record_end(secs(150));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0: lag never got under 1s: 1.5s at 150s"));
  CHECK_THAT(violations[0].message, Contains("the run ended 150s"));
}

TEST_CASE("liveness: no lag sample after the heal fails", "[liveness]") {
  History history;
  history.record_fault_healed(secs(100));
  history.record_lag("zone-c", 4, secs(90), 0);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-c partition 4: no lag sample at or after the heal at 100s (last at 90s)"));
}

TEST_CASE("liveness: a strong read that never completes fails", "[liveness]") {
  History history = healed_history();
  history.record_read_invoke(ReadConsistency::strong, kSel, secs(50));
  history.record_end(secs(300));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("strong read #0 invoked 50s never completed; due 130s"));
  CHECK_THAT(violations[0].message, Contains("the run ended 300s"));
}

TEST_CASE("liveness: a strong read completing late fails", "[liveness]") {
  History history = healed_history();
  const ReadId r = history.record_read_invoke(ReadConsistency::strong, kSel, secs(120));
  history.record_read_complete(r, secs(151), "zone-a", "q", {});
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("strong read #0 invoked 120s completed only at 151s (ok), after its due time 150s"));
}

TEST_CASE("liveness: without a recorded fault the deadline counts from the start", "[liveness]") {
  History history;
  history.record_lag("zone-a", 0, secs(10), secs(2));
  history.record_lag("zone-a", 0, secs(20), 0);
  CHECK(check(history).empty());
  CHECK_FALSE(check_liveness(history, options_with_bound(secs(15))).violations.empty());
}

TEST_CASE("liveness: a strong read failing after the heal fails", "[liveness]") {
  History history = healed_history();
  const ReadId r = history.record_read_invoke(ReadConsistency::strong, kSel, secs(100));
  history.record_read_failed(r, secs(102), "zone-b", "querier-b", "no ingester of partition 3 answered");
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "liveness");
  CHECK_THAT(violations[0].message, Contains("strong read #0 invoked 100s, at or after the last fault healed 100s, failed at 102s"));
  CHECK_THAT(violations[0].message, Contains("in zone zone-b (querier querier-b): no ingester of partition 3 answered"));
}

TEST_CASE("liveness: a strong read failing during faults passes", "[liveness]") {
  History history = healed_history();
  const ReadId r = history.record_read_invoke(ReadConsistency::strong, kSel, secs(60));
  history.record_read_failed(r, secs(61), "zone-b", "querier-b", "partition unavailable");
  CHECK(check(history).empty());
}

TEST_CASE("liveness: a failed final read leaves acked samples unproven, which is no loss", "[liveness][no_lost]") {
  History history = healed_history();
  history.declare_zone("zone-a");
  history.declare_zone("zone-b");
  const SampleRun run = make_run(0xA1, 1000, 1000, 3);
  add_acked_write(history, secs(1), secs(2), {run});
  add_final_read(history, "zone-a", kSel, secs(125), results_of({run}));
  const ReadId failed = history.record_read_invoke(ReadConsistency::eventual, kSel, secs(125), true);
  history.record_read_failed(failed, secs(128), "zone-b", "checker", "ingester ingester-zone-b-0 (partition 0) in zone-b did not answer");
  const PropertyResult result = check_liveness(history, options_with_bound(secs(30)));
  INFO(describe(result.violations));
  REQUIRE(result.violations.size() == 1);
  const std::string& message = result.violations[0].message;
  CHECK_THAT(message, Contains("zone zone-b: final reads after the last fault healed 100s"));
  CHECK_THAT(message, Contains("read #1 (failed: ingester ingester-zone-b-0 (partition 0) in zone-b did not answer)"));
  CHECK_THAT(message, Contains("left 3 acked samples unproven"));
  CHECK_THAT(message, Contains("first: series 0x00000000000000a1 ts 1000"));
  CHECK(result.judged == 2 + 2);  // two ingesters' lag, two zones' final reads
  CHECK(check_no_lost_acked_samples(history, CheckOptions{}).violations.empty());
}

TEST_CASE("liveness: a failed strong read after the heal that a retry made good passes", "[liveness]") {
  History history = healed_history();
  const ReadId first = history.record_read_invoke(ReadConsistency::strong, kSel, secs(101));
  history.record_read_failed(first, secs(102), "zone-a", "q", "not serving yet (catching up)");
  const ReadId retry = history.record_read_retry(first, secs(103));
  history.record_read_complete(retry, secs(104), "zone-a", "q", {});
  const auto violations = check(history);
  INFO(describe(violations));
  CHECK(violations.empty());
}

TEST_CASE("liveness: a strong request after the heal whose every attempt failed fails once", "[liveness]") {
  History history = healed_history();
  const ReadId first = history.record_read_invoke(ReadConsistency::strong, kSel, secs(101));
  history.record_read_failed(first, secs(102), "zone-a", "q", "strong read timed out");
  const ReadId retry = history.record_read_retry(first, secs(103));
  history.record_read_failed(retry, secs(104), "zone-b", "q", "strong read timed out");
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("strong read #1 invoked 103s"));
  CHECK_THAT(violations[0].message, Contains("(the last retry of read #0)"));
}

TEST_CASE("liveness: a strong read caught by a fault may take until the system's read timeout", "[liveness]") {
  History history = healed_history();
  // Invoked during the faults at 90 s, answered (an error) at 210 s: past
  // the deadline of 130 s, but within a 120 s read timeout.
  const ReadId caught = history.record_read_invoke(ReadConsistency::strong, kSel, secs(90));
  history.record_read_failed(caught, secs(210), "", "", "query timed out");
  CheckOptions options = options_with_bound(secs(30));
  CHECK_FALSE(check_liveness(history, options).violations.empty());  // no timeout given: late
  options.read_timeout = secs(120);
  CHECK(check_liveness(history, options).violations.empty());
  options.read_timeout = secs(100);  // 90 s + 100 s = 190 s: still late
  CHECK_FALSE(check_liveness(history, options).violations.empty());
}
