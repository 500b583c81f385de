#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_no_phantom_samples(history, options).violations;
}

const SampleRun kRun = make_run(0xA1, 1000, 1000, 3);
const ReadSelector kSel = select({0xA1, 0xB2}, 0, 10'000);

}  // namespace

TEST_CASE("phantom: samples sent by writes of any outcome pass", "[phantom]") {
  const auto outcome = GENERATE(WriteOutcome::acked, WriteOutcome::timed_out, WriteOutcome::failed,
                                WriteOutcome::rejected, WriteOutcome::pending);
  History history;
  add_write(history, secs(1), secs(2), outcome, {kRun});
  add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", results_of({kRun}));
  INFO(to_string(outcome));
  CHECK(check(history).empty());
}

TEST_CASE("phantom: samples with explicit values pass", "[phantom]") {
  History history;
  const SampleRun run{0xB2, 500, 250, 2, {3.5, 4.5}};
  add_acked_write(history, secs(1), secs(2), {run});
  add_read(history, ReadConsistency::strong, kSel, secs(3), secs(4), "zone-a", results_of({run}));
  CHECK(check(history).empty());
}

TEST_CASE("phantom: a sample no write sent fails", "[phantom]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  auto result = results_of({kRun});
  result[0].samples.push_back(Sample{4000, 1.0});
  add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "no_phantom_samples");
  CHECK_THAT(violations[0].message, Contains("eventual read #0 (invoked 3s, answered by zone zone-a"));
  CHECK_THAT(violations[0].message, Contains("1 samples no write sent; first: series 0x00000000000000a1 ts 4000 value 1"));
}

TEST_CASE("phantom: a sample with a value no write sent fails", "[phantom]") {
  History history;
  add_write(history, secs(1), secs(2), WriteOutcome::timed_out, {kRun});
  auto result = results_of({kRun});
  result[0].samples[2].value = 0.5;
  add_read(history, ReadConsistency::eventual, kSel, secs(3), secs(4), "zone-a", result);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("series 0x00000000000000a1 ts 3000 value 0.5, but write #0 sent value"));
}

TEST_CASE("phantom: a sample outside the read's selector fails", "[phantom]") {
  History history;
  add_acked_write(history, secs(1), secs(2), {kRun});
  add_read(history, ReadConsistency::eventual, select({0xA1}, 0, 1500), secs(3), secs(4), "zone-a",
           results_of({kRun}));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("2 samples outside its selector (ts [0, 1500]); first: series 0x00000000000000a1 ts 2000"));
}

TEST_CASE("phantom: a failed read returns nothing to check", "[phantom]") {
  History history;
  const ReadId r = history.record_read_invoke(ReadConsistency::strong, kSel, secs(3));
  history.record_read_failed(r, secs(4), "zone-a", "q", "boom");
  CHECK(check(history).empty());
}
