#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/models/mimir/wal_reader.h"
#include "weir/models/mimir/wal_record.h"

namespace mimir = weir::models::mimir;
using mimir::WalReader;
using mimir::WalRecord;
using mimir::WalTail;

namespace {

WalRecord make_record(std::int64_t offset, int series) {
  WalRecord r{offset, "tenant-" + std::to_string(offset % 3), {}};
  for (int s = 0; s < series; ++s) {
    mimir::WalSeries ws{static_cast<std::uint64_t>(offset * 100 + s), {{"__name__", "m"}, {"s", std::to_string(s)}}, {}};
    for (int i = 0; i < 3; ++i) ws.samples.push_back({offset * 1000 + i, offset + s * 0.25 + i});
    r.series.push_back(std::move(ws));
  }
  return r;
}

struct Wal {
  std::vector<WalRecord> records;
  std::vector<std::size_t> frame_ends;
  std::string bytes;
};

Wal make_wal(int records) {
  Wal wal;
  for (int i = 0; i < records; ++i) {
    wal.records.push_back(make_record(i + 10, i % 3));
    mimir::append_wal_frame(wal.records.back(), wal.bytes);
    wal.frame_ends.push_back(wal.bytes.size());
  }
  return wal;
}

std::vector<WalRecord> replay(WalReader& reader) {
  std::vector<WalRecord> out;
  WalRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("WAL records round-trip and replay ends clean") {
  const Wal wal = make_wal(5);
  WalReader reader(wal.bytes);
  CHECK(replay(reader) == wal.records);
  CHECK(reader.tail() == WalTail::clean);
  CHECK(reader.valid_bytes() == wal.bytes.size());
  CHECK_FALSE(reader.next().has_value());

  mimir::WalWriter writer;
  std::string frame(writer.encode(wal.records[2]));
  WalReader single(frame);
  CHECK(single.next() == wal.records[2]);
  CHECK(single.next() == std::nullopt);
  CHECK(single.tail() == WalTail::clean);
}

TEST_CASE("a WAL cut at every byte replays exactly the complete records") {
  const Wal wal = make_wal(4);
  for (std::size_t n = 0; n <= wal.bytes.size(); ++n) {
    WalReader reader(std::string_view(wal.bytes).substr(0, n));
    const auto got = replay(reader);
    std::size_t complete = 0;
    while (complete < wal.frame_ends.size() && wal.frame_ends[complete] <= n) ++complete;
    REQUIRE(got.size() == complete);
    CHECK(std::equal(got.begin(), got.end(), wal.records.begin()));
    const std::size_t boundary = complete == 0 ? 0 : wal.frame_ends[complete - 1];
    CHECK(reader.valid_bytes() == boundary);
    CHECK(reader.tail() == (n == boundary ? WalTail::clean : WalTail::truncated));
  }
}

TEST_CASE("a flipped byte stops replay at the damaged record") {
  const Wal wal = make_wal(4);
  for (std::size_t i = 0; i < wal.bytes.size(); ++i) {
    std::string damaged = wal.bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    WalReader reader(damaged);
    const auto got = replay(reader);
    std::size_t frame = 0;
    while (wal.frame_ends[frame] <= i) ++frame;
    REQUIRE(got.size() == frame);
    CHECK(std::equal(got.begin(), got.end(), wal.records.begin()));
    CHECK(reader.tail() != WalTail::clean);
    CHECK_FALSE(reader.tail_error().empty());
    CHECK(reader.valid_bytes() == (frame == 0 ? 0 : wal.frame_ends[frame - 1]));
  }
}

TEST_CASE("an implausible frame length is corruption, not a torn write") {
  std::string bytes(8, '\xff');
  bytes += "payload";
  WalReader reader(bytes);
  CHECK_FALSE(reader.next().has_value());
  CHECK(reader.tail() == WalTail::corrupt);
  CHECK(std::string(mimir::to_string(reader.tail())) == "corrupt");
}

TEST_CASE("property: arbitrary bytes never crash the reader") {
  CHECK(rc::check("garbage replays safely", [](const std::string& garbage) {
    WalReader reader(garbage);
    WalRecord r;
    std::size_t records = 0;
    while (reader.next(r)) ++records;
    RC_ASSERT(reader.valid_bytes() <= garbage.size());
    RC_ASSERT((reader.tail() == WalTail::clean) == (reader.valid_bytes() == garbage.size()));
  }));
}

TEST_CASE("a segment logs a series' labels once and then refers to its id") {
  mimir::WalWriter writer;
  const WalRecord first = make_record(20, 2);
  WalRecord second = make_record(20, 2);
  second.offset = 21;
  std::string segment(writer.encode(first));
  writer.landed(first);
  const std::string_view referring = writer.encode(second);
  std::string self_contained;
  mimir::append_wal_frame(second, self_contained);
  CHECK(referring.size() < self_contained.size());
  segment += referring;

  WalReader reader(segment);
  CHECK(replay(reader) == std::vector<WalRecord>{first, second});  // labels filled in from the first frame
  CHECK(reader.tail() == WalTail::clean);

  // A frame whose series' labels went unlogged cannot be read on its own.
  WalReader orphan(referring);
  CHECK_FALSE(orphan.next().has_value());
  CHECK(orphan.tail() == WalTail::corrupt);

  // A new segment logs them again.
  writer.start_segment();
  WalReader fresh(writer.encode(second));
  CHECK(fresh.next() == second);
}
