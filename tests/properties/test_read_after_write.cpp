#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_read_after_write(history, options).violations;
}

const SampleRun kRun = make_run(0xA1, 1000, 1000, 3);
const ReadSelector kSel = select({0xA1}, 0, 10'000);

}  // namespace

TEST_CASE("raw: a strong read after the ack that returns the write passes", "[raw]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  add_read(history, ReadConsistency::strong, kSel, secs(3), secs(4), "zone-a", results_of({kRun}));
  CHECK(check(history).empty());
}

TEST_CASE("raw: a strong read after the ack that misses the write fails", "[raw]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  auto result = results_of({kRun});
  erase_sample(result, 0xA1, 3000);
  add_read(history, ReadConsistency::strong, kSel, secs(2) + 1, secs(4), "zone-b", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "read_after_write");
  CHECK_THAT(violations[0].message, Contains("strong read #0 (invoked 2.000000001s, answered by zone zone-b querier querier-zone-b at 4s)"));
  CHECK_THAT(violations[0].message, Contains("missed 1 of 3 covered samples of write #0 (tenant tenant-1, acked 2s)"));
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 3000"));
  const Evidence& e = violations[0].evidence;
  CHECK(e.write == 0u);
  REQUIRE(e.read);
  CHECK(e.series == 0xA1u);
  CHECK(e.sample_ts_ms == 3000);
  CHECK(e.zones == std::vector<std::string>{"zone-b"});
  CHECK(e.from_ns == secs(1));
}

TEST_CASE("raw: a strong read returning another value fails", "[raw]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  auto result = results_of({kRun});
  result[0].samples[0].value = -1;
  add_read(history, ReadConsistency::strong, kSel, secs(3), secs(4), "zone-a", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("with another value"));
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 1000"));
  CHECK_THAT(violations[0].message, Contains("read -1"));
}

TEST_CASE("raw: reads that owe nothing to the write pass", "[raw]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  SECTION("invoked at the ack instant, not strictly after") {
    add_read(history, ReadConsistency::strong, kSel, secs(2), secs(4), "zone-a", {});
  }
  SECTION("invoked before the ack") {
    add_read(history, ReadConsistency::strong, kSel, secs(1), secs(4), "zone-a", {});
  }
  SECTION("an eventual read") {
    add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", {});
  }
  SECTION("a strong read that failed with an error") {
    const ReadId r = history.record_read_invoke(ReadConsistency::strong, kSel, secs(3));
    history.record_read_failed(r, secs(23), "zone-a", "querier-a", "timed out waiting for offsets");
  }
  SECTION("a strong read of other series or times") {
    add_read(history, ReadConsistency::strong, select({0xB2}, 0, 10'000), secs(3), secs(4), "zone-a", {});
    add_read(history, ReadConsistency::strong, select({0xA1}, 4000, 9000), secs(3), secs(4), "zone-a", {});
  }
  SECTION("a strong read covering part of the write, returning that part") {
    add_read(history, ReadConsistency::strong, select({0xA1}, 2000, 2000), secs(3), secs(4),
             "zone-a", results_of({make_run(0xA1, 2000, 1, 1)}));
  }
  CHECK(check(history).empty());
}

TEST_CASE("raw: ambiguous and failed writes are not required", "[raw]") {
  const auto outcome = GENERATE(WriteOutcome::timed_out, WriteOutcome::failed,
                                WriteOutcome::rejected, WriteOutcome::pending);
  History history;
  add_write(history, secs(1), secs(2), outcome, {kRun});
  add_read(history, ReadConsistency::strong, kSel, secs(3), secs(4), "zone-a", {});
  CHECK(check(history).empty());
}
