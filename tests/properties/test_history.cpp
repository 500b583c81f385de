#include <catch2/catch.hpp>

#include <cmath>

#include "history_builders.h"
#include "weir/properties/serialization.h"

using namespace weir::properties;
using namespace weir::properties::testing;

TEST_CASE("sample_value is deterministic, finite and spread out", "[history]") {
  CHECK(sample_value(1, 1000) == sample_value(1, 1000));
  CHECK(sample_value(1, 1000) != sample_value(2, 1000));
  CHECK(sample_value(1, 1000) != sample_value(1, 2000));
  for (SeriesId s = 0; s < 50; ++s) {
    for (TimestampMs ts = -5000; ts < 5000; ts += 777) {
      const double v = sample_value(s, ts);
      CHECK(std::isfinite(v));
      CHECK(v >= 0.0);
      CHECK(v < 1000.0);
    }
  }
  // Pinned, bit for bit: saved histories and models depend on these exact values.
  static_assert(sample_value(0, 0) == 607.5350556640625);
  CHECK(sample_value(0xA1, 1000) == 993.27163183593746);
  CHECK(sample_value(~SeriesId{0}, -1) == 157.5444228515625);
}

TEST_CASE("a sample run names its timestamps and values", "[history]") {
  const SampleRun run = make_run(7, 1000, 15, 4);
  CHECK(run.last_ms() == 1045);
  CHECK(run.timestamp(2) == 1030);
  CHECK(run.value(2) == sample_value(7, 1030));
  CHECK(run.index_of(1030) == std::optional<std::uint32_t>(2));
  CHECK_FALSE(run.index_of(1031));
  CHECK_FALSE(run.index_of(985));
  CHECK_FALSE(run.index_of(1060));

  const SampleRun explicit_values{7, 500, 0, 1, {42.5}};
  CHECK(explicit_values.value(0) == 42.5);
  CHECK(explicit_values.index_of(500) == std::optional<std::uint32_t>(0));
  CHECK_FALSE(explicit_values.index_of(501));
}

TEST_CASE("the recorder hands out ids and records completions", "[history]") {
  History history;
  const WriteId w0 = history.record_write_invoke("t", "c", secs(1), {make_run(1, 0, 10, 3)});
  const WriteId w1 = history.record_write_invoke("t", "c", secs(2), {make_run(2, 0, 10, 3)});
  CHECK(w0 == 0);
  CHECK(w1 == 1);
  CHECK(history.write(w0).outcome == WriteOutcome::pending);
  history.record_write_complete(w0, secs(3), WriteOutcome::acked, "200");
  CHECK(history.write(w0).acked());
  CHECK(history.write(w0).completed_at == secs(3));
  CHECK(history.write(w0).detail == "200");

  const ReadId r = history.record_read_invoke(ReadConsistency::strong, select({9, 3, 9, 1}, 0, 100),
                                              secs(4));
  CHECK(history.read(r).selector.series.ids() == std::vector<SeriesId>{1, 3, 9});
  history.record_read_failed(r, secs(5), "zone-a", "querier-a", "timeout");
  CHECK(history.read(r).outcome == ReadOutcome::error);
  CHECK(history.read(r).error == "timeout");
  CHECK(history.read(r).zone == "zone-a");
}

TEST_CASE("the recorder rejects calls that make no sense", "[history]") {
  History history;
  const WriteId w = history.record_write_invoke("t", "c", 0, {make_run(1, 0, 10, 3)});
  history.record_write_complete(w, 1, WriteOutcome::acked);
  CHECK_THROWS_AS(history.record_write_complete(w, 2, WriteOutcome::failed), HistoryError);
  CHECK_THROWS_AS(history.record_write_complete(99, 2, WriteOutcome::failed), HistoryError);
  CHECK_THROWS_AS(history.record_write_complete(
                      history.record_write_invoke("t", "c", 0, {}), 1, WriteOutcome::pending),
                  HistoryError);
  CHECK_THROWS_AS(history.record_write_invoke("t", "c", 0, {make_run(1, 0, 0, 3)}), HistoryError);
  CHECK_THROWS_AS(history.record_write_invoke("t", "c", 0, {SampleRun{1, 0, 10, 2, {1.0}}}),
                  HistoryError);
  CHECK_THROWS_AS(history.record_read_complete(5, 1, "z", "q", {}), HistoryError);
  const ReadId r = history.record_read_invoke(ReadConsistency::eventual, select({1}, 0, 1), 0);
  history.record_read_complete(r, 1, "z", "q", {});
  CHECK_THROWS_AS(history.record_read_failed(r, 2, "z", "q", "again"), HistoryError);
}

TEST_CASE("history keeps topology and liveness facts", "[history]") {
  History history;
  CHECK(history.zones_to_check().empty());
  add_final_read(history, "zone-b", select({1}, 0, 10), secs(1), {});
  add_final_read(history, "zone-a", select({1}, 0, 10), secs(1), {});
  add_read(history, ReadConsistency::eventual, select({1}, 0, 10), 0, 1, "zone-c", {});
  CHECK(history.zones_to_check() == std::vector<std::string>{"zone-a", "zone-b"});
  history.declare_zone("zone-c");
  history.declare_zone("zone-c");
  CHECK(history.zones_to_check() == std::vector<std::string>{"zone-c"});

  history.record_fault_healed(secs(5));
  history.record_fault_healed(secs(3));
  CHECK(history.data().last_fault_healed_at == secs(5));
  history.record_log_bounds(0, 0, 10);
  history.record_log_bounds(0, 2, 12);
  REQUIRE(history.data().log_bounds.size() == 1);
  CHECK(history.data().log_bounds[0] == LogBounds{0, 2, 12});
}

TEST_CASE("from_data checks the recorder's invariants", "[history]") {
  HistoryData data;
  data.writes.push_back(Write{});
  CHECK_NOTHROW(History::from_data(data));
  data.writes[0].id = 3;
  CHECK_THROWS_WITH(History::from_data(data), Catch::Contains("write #0 has id 3"));
  data.writes[0].id = 0;
  data.writes[0].outcome = WriteOutcome::acked;
  CHECK_THROWS_WITH(History::from_data(data), Catch::Contains("lacks a completion time"));
  data.writes.clear();
  data.reads.push_back(Read{});
  data.reads[0].selector.series = {3, 1};
  CHECK_THROWS_WITH(History::from_data(data), Catch::Contains("not sorted"));
}

TEST_CASE("a retried read names its first attempt, and survives a save and load", "[history]") {
  History history;
  const ReadId first = history.record_read_invoke(ReadConsistency::strong, make_selector({3, 1}, 0, 100), 10);
  history.record_read_failed(first, 20, "zone-a", "querier-zone-a", "strong read timed out");
  const ReadId retry = history.record_read_retry(first, 30);
  CHECK(history.read(retry).retry_of == first);
  CHECK(history.read(retry).selector == history.read(first).selector);
  CHECK(history.read(retry).strong());
  CHECK_THROWS_AS(history.record_read_retry(retry, 40), HistoryError);  // a retry of a retry
  CHECK(load_history(save_history(history)) == history);
  HistoryData bad = history.data();
  bad.reads[first].retry_of = retry;  // names a later read
  CHECK_THROWS_AS(History::from_data(bad), HistoryError);
}
