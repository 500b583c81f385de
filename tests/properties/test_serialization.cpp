#include <catch2/catch.hpp>

#include <string>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using namespace std::string_literals;

namespace {

// A history that sets every field at least once.
History rich_history() {
  History history;
  history.declare_zone("zone-a");
  history.declare_zone("zone-b");
  const WriteId acked = add_acked_write(history, secs(1), secs(2), {make_run(0xA1, 1000, 15, 4)});
  add_write(history, secs(1), secs(3), WriteOutcome::timed_out,
            {SampleRun{0xB2, 2000, 10, 2, {1.5, -0.0}}});
  add_write(history, secs(1), secs(3), WriteOutcome::rejected, {make_run(0xC3, 0, 1, 1)});
  add_write(history, secs(1), 0, WriteOutcome::pending, {make_run(0xC3, 5, 1, 1)});
  history.record_write_complete(
      history.record_write_invoke("tenant-2", "client-2", secs(4), {}), secs(5),
      WriteOutcome::failed, "503 SlowDown");
  add_read(history, ReadConsistency::strong, select({0xA1, 0xB2}, 0, 5000), secs(3), secs(4),
           "zone-a", results_of(history.write(acked).samples));
  const ReadId failed =
      history.record_read_invoke(ReadConsistency::eventual, select({0xA1}, 0, 10), secs(5), true);
  history.record_read_failed(failed, secs(6), "zone-b", "querier-b-1", "context deadline exceeded");
  history.record_read_invoke(ReadConsistency::strong, select({1}, -10, 10), secs(7));
  history.record_applied("zone-a", 3, 0, 0xDEADBEEF, secs(1));
  history.record_committed("zone-a", 3, 0, secs(2));
  history.record_restarted("zone-a", 3, secs(3), 1);
  history.record_log_ack(3, 0, 0xDEADBEEF, secs(1));
  history.record_log_bounds(3, 0, 1);
  history.record_lag("zone-b", 3, secs(8), millis(250));
  history.record_fault_healed(secs(9));
  history.record_drain_completed(secs(10));
  history.record_end(secs(11));
  return history;
}

}  // namespace

TEST_CASE("a history survives a save and load unchanged", "[serialization]") {
  const History history = rich_history();
  const std::string bytes = save_history(history);
  const History loaded = load_history(bytes);
  CHECK(loaded == history);
  CHECK(save_history(loaded) == bytes);
  CHECK(check_all(loaded) == check_all(history));
}

TEST_CASE("an empty history survives a save and load", "[serialization]") {
  const History empty;
  CHECK(load_history(save_history(empty)) == empty);
}

TEST_CASE("loading malformed input fails with a clear error", "[serialization]") {
  SECTION("garbage bytes") {
    CHECK_THROWS_MATCHES(load_history("\xff\xff\xff\xff"s), HistoryFormatError,
                         Catch::Matchers::Message(
                             "history: malformed input: 4 bytes are not a weir history protobuf"));
  }
  SECTION("no bytes: no format version") {
    CHECK_THROWS_WITH(load_history(""), Catch::Contains("unsupported format version 0"));
  }
  SECTION("a future format version") {
    CHECK_THROWS_WITH(load_history("\x08\x02"s), Catch::Contains("unsupported format version 2"));
  }
  SECTION("a write whose id is not its index") {
    // format_version 1, writes { id: 5 }
    CHECK_THROWS_WITH(load_history("\x08\x01\x1a\x02\x08\x05"s),
                      Catch::Contains("inconsistent content: write #0 has id 5"));
  }
  SECTION("an unknown write outcome") {
    // format_version 1, writes { outcome: 9 }
    CHECK_THROWS_WITH(load_history("\x08\x01\x1a\x02\x30\x09"s),
                      Catch::Contains("unknown write outcome value 9"));
  }
  SECTION("a read result with more timestamps than values") {
    // format_version 1, reads { result { timestamps_ms: 1 } }
    CHECK_THROWS_WITH(load_history("\x08\x01\x22\x04\x6a\x02\x10\x01"s),
                      Catch::Contains("has 1 timestamps but 0 values"));
  }
}
