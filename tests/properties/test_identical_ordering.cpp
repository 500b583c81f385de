#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_identical_ordering(history, options).violations;
}

RecordDigest digest(Offset offset) { return 0x1000 + static_cast<RecordDigest>(offset); }

void apply(History& history, std::string_view zone, PartitionId partition, Offset first,
           Offset last, SimTime at) {
  for (Offset o = first; o <= last; ++o) history.record_applied(zone, partition, o, digest(o), at);
}

void ack(History& history, PartitionId partition, Offset first, Offset last) {
  for (Offset o = first; o <= last; ++o) history.record_log_ack(partition, o, digest(o), secs(1));
}

}  // namespace

TEST_CASE("ordering: zones that applied the same records pass", "[ordering]") {
  History history;
  ack(history, 0, 0, 4);
  apply(history, "zone-a", 0, 0, 4, secs(2));
  apply(history, "zone-b", 0, 0, 2, secs(2));
  history.record_restarted("zone-b", 0, secs(3), 1);
  apply(history, "zone-b", 0, 1, 4, secs(4));  // re-applying the same records is fine
  history.record_drain_completed(secs(10));
  CHECK(check(history).empty());
}

TEST_CASE("ordering: a zone behind another passes before the drain", "[ordering]") {
  History history;
  apply(history, "zone-a", 0, 0, 4, secs(2));
  apply(history, "zone-b", 0, 0, 2, secs(2));
  CHECK(check(history).empty());
}

TEST_CASE("ordering: a zone behind another after the drain fails", "[ordering]") {
  History history;
  apply(history, "zone-a", 0, 0, 4, secs(2));
  apply(history, "zone-b", 0, 0, 2, secs(2));
  history.record_drain_completed(secs(10));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "identical_ordering");
  CHECK_THAT(violations[0].message, Contains("partition 0: after the drain zone zone-a applied 5 records and zone zone-b 3"));
  CHECK_THAT(violations[0].message, Contains("zone zone-a applied offset 3 record 0x0000000000001003 at 2s"));
}

TEST_CASE("ordering: zones applying different records at an offset fail", "[ordering]") {
  History history;
  apply(history, "zone-a", 2, 0, 3, secs(1));
  apply(history, "zone-b", 2, 0, 1, secs(1));
  history.record_applied("zone-b", 2, 2, 0xBAD, secs(2));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("partition 2: zones zone-a and zone-b disagree at position 2"));
  CHECK_THAT(violations[0].message, Contains("zone zone-a applied offset 2 record 0x0000000000001002 at 1s"));
  CHECK_THAT(violations[0].message, Contains("zone zone-b applied offset 2 record 0x0000000000000bad at 2s"));
  const Evidence& e = violations[0].evidence;
  CHECK(e.partition == 2);
  CHECK(e.offset == 2);
  CHECK(e.records == std::vector<RecordDigest>{0x1002, 0xBAD});
  CHECK(e.zones == std::vector<std::string>{"zone-a", "zone-b"});
  CHECK(e.from_ns == secs(1));
  CHECK(e.to_ns == secs(2));
  CHECK_FALSE(e.write);
}

TEST_CASE("ordering: the log acking two records at one offset fails", "[ordering]") {
  History history;
  history.record_log_ack(1, 7, 0xAAA, secs(1));
  history.record_log_ack(1, 7, 0xBBB, secs(5));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("partition 1 offset 7: the log acked record 0x0000000000000aaa at 1s and record 0x0000000000000bbb at 5s"));
}

TEST_CASE("ordering: a zone applying another record than the log acked fails", "[ordering]") {
  // Unclean leader election: offset 3 was acked with one record, then held another.
  History history;
  ack(history, 0, 0, 3);
  apply(history, "zone-a", 0, 0, 2, secs(2));
  history.record_applied("zone-a", 0, 3, 0xF00D, secs(3));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0 offset 3: applied record 0x000000000000f00d at 3s but the log acked record 0x0000000000001003 there at 1s"));
}

TEST_CASE("ordering: one zone applying two records at one offset fails", "[ordering]") {
  History history;
  apply(history, "zone-a", 0, 0, 3, secs(1));
  history.record_restarted("zone-a", 0, secs(2), 3);
  history.record_applied("zone-a", 0, 3, 0xF00D, secs(3));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0 offset 3: applied record 0x0000000000001003 at 1s and record 0x000000000000f00d at 3s"));
}

TEST_CASE("ordering: a zone applying offsets out of order within one run fails", "[ordering]") {
  History history;
  ack(history, 0, 0, 3);
  history.record_restarted("zone-a", 0, secs(0), 0);
  SimTime at = secs(1);
  for (const Offset o : {0, 1, 3, 2}) history.record_applied("zone-a", 0, o, digest(o), at += secs(1));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "identical_ordering");
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0: applied offset 2 at 5s after offset 3 at 4s"));
  CHECK_THAT(violations[0].message, Contains("since the restart at 0s (resumed at offset 0)"));
  CHECK_THAT(violations[0].message, Contains("out of order"));
}

TEST_CASE("ordering: re-applying older offsets without a restart fails", "[ordering]") {
  History history;
  apply(history, "zone-b", 1, 0, 4, secs(1));
  apply(history, "zone-b", 1, 2, 4, secs(2));  // no restart between
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);  // 3 and 4 then follow 2 in order
  CHECK_THAT(violations[0].message, Contains("zone zone-b partition 1: applied offset 2 at 2s after offset 4 at 1s"));
  CHECK_THAT(violations[0].message, Contains("the run since the first start (no restart)"));
}

TEST_CASE("ordering: applying one offset twice in a row fails", "[ordering]") {
  History history;
  apply(history, "zone-a", 0, 0, 1, secs(1));
  history.record_applied("zone-a", 0, 1, digest(1), secs(2));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0: applied offset 1 at 2s again, right after applying it at 1s"));
}

TEST_CASE("ordering: a restart replaying from its resume offset passes", "[ordering]") {
  History history;
  ack(history, 0, 0, 5);
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 0, 4, secs(1));
  history.record_restarted("zone-a", 0, secs(2), 2);
  apply(history, "zone-a", 0, 2, 5, secs(3));
  apply(history, "zone-b", 0, 0, 5, secs(1));
  history.record_drain_completed(secs(10));
  const CheckOptions defaults;
  const PropertyResult result = check_identical_ordering(history, defaults);
  INFO(describe(result.violations));
  CHECK(result.violations.empty());
  CHECK(result.judged == (9 + 6) + (6 + 6) + 6);  // applied in order, against the log in each zone, positions between zones
}

TEST_CASE("ordering: a restart whose first record is below its resume offset fails", "[ordering]") {
  History history;
  apply(history, "zone-a", 0, 0, 4, secs(1));
  history.record_restarted("zone-a", 0, secs(2), 5);
  apply(history, "zone-a", 0, 3, 5, secs(3));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0: applied offset 3 at 3s, first in the run since the restart at 2s (resumed at offset 5): below the resume offset"));
}
