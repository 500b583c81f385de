// decode_record_as_wal against the protobuf path it must equal
// (decode_record, then TenantHeads::to_wal_record): on random requests, on
// random damage to their bytes, on encodings protobuf accepts but never
// writes, and on the real Prometheus captures.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../remote_write_gen.h"
#include "weir/models/capture_stats.h"
#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/record_to_wal.h"
#include "weir/models/mimir/tenant_heads.h"
#include "weir/models/remote_write.h"

namespace {

namespace mimir = weir::models::mimir;
using weir::models::DecodeResult;
using namespace weir::testing;

const std::vector<mimir::RecordHeader> kVersion1 = {mimir::record_version_header(1)};

DecodeResult<mimir::WalRecord> through_protobuf(const std::string& tenant, const std::string& value) {
  auto decoded = mimir::decode_record(tenant, value, kVersion1);
  if (!decoded) return decoded.error();
  return mimir::TenantHeads::to_wal_record(tenant, decoded.value().request, 42);
}

// Equal records, sample values compared bit for bit (NaN stale markers are
// not == to themselves).
bool same_record(const mimir::WalRecord& a, const mimir::WalRecord& b) {
  if (a.offset != b.offset || a.tenant != b.tenant || a.series.size() != b.series.size()) return false;
  for (std::size_t i = 0; i < a.series.size(); ++i) {
    const mimir::WalSeries& x = a.series[i];
    const mimir::WalSeries& y = b.series[i];
    if (x.id != y.id || x.labels != y.labels || x.samples.size() != y.samples.size()) return false;
    for (std::size_t j = 0; j < x.samples.size(); ++j) {
      if (x.samples[j].timestamp_ms != y.samples[j].timestamp_ms) return false;
      if (!mimir::same_bits(x.samples[j].value, y.samples[j].value)) return false;
    }
  }
  return true;
}

// Both succeed with equal records, or both fail with the same message.
void require_same(const std::string& tenant, const std::string& value) {
  const auto fast = mimir::decode_record_as_wal(tenant, value, kVersion1, 42);
  const auto slow = through_protobuf(tenant, value);
  RC_ASSERT(fast.ok() == slow.ok());
  if (fast.ok()) {
    RC_ASSERT(same_record(fast.value(), slow.value()));
  } else {
    RC_ASSERT(fast.error().message == slow.error().message);
  }
}

// What weir's distributor writes: labels and samples only (the fast path).
rc::Gen<prometheus::WriteRequest> gen_plain_request() {
  return rc::gen::map(gen_request(), [](prometheus::WriteRequest request) {
    request.clear_metadata();
    for (auto& series : *request.mutable_timeseries()) series.clear_exemplars();
    return request;
  });
}

std::string tag(int field, int wire_type) { return std::string(1, static_cast<char>(field << 3 | wire_type)); }
std::string length_delimited(int field, const std::string& bytes) {
  return tag(field, 2) + static_cast<char>(bytes.size()) + bytes;
}

}  // namespace

TEST_CASE("record to WAL: plain requests read without protobuf equal the protobuf path", "[models][mimir][record_to_wal]") {
  CHECK(rc::check("plain requests", [] {
    require_same("tenant-1", (*gen_plain_request()).SerializeAsString());
  }));
}

TEST_CASE("record to WAL: exemplars and metadata fall back to protobuf with the same result", "[models][mimir][record_to_wal]") {
  CHECK(rc::check("any request", [] { require_same("tenant-1", (*gen_request()).SerializeAsString()); }));
}

TEST_CASE("record to WAL: damaged bytes give the protobuf path's result or error", "[models][mimir][record_to_wal]") {
  CHECK(rc::check("one edit", [] { require_same("t", mutate((*gen_plain_request()).SerializeAsString())); }));
  CHECK(rc::check("three edits", [] {
    require_same("t", mutate(mutate(mutate((*gen_plain_request()).SerializeAsString()))));
  }));
}

TEST_CASE("record to WAL: encodings protobuf accepts but does not write", "[models][mimir][record_to_wal]") {
  const std::string value_1 = tag(1, 1) + std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);  // 1.0
  const std::string value_2 = tag(1, 1) + std::string("\x00\x00\x00\x00\x00\x00\x00\x40", 8);  // 2.0
  const std::string ts_5 = tag(2, 0) + "\x05";
  const std::string ts_5_long = tag(2, 0) + std::string("\x85\x80\x80\x00", 4);  // non-minimal varint
  const std::string label = length_delimited(1, "job") + length_delimited(2, "api");
  const auto series_with = [&](const std::string& sample) {
    return length_delimited(1, length_delimited(1, label) + length_delimited(2, sample));
  };
  SECTION("fields in reverse order") {
    const std::string value = series_with(ts_5 + value_1);
    const auto fast = mimir::decode_record_as_wal("t", value, kVersion1, 42);
    REQUIRE(fast.ok());
    REQUIRE(fast.value().series.size() == 1);
    CHECK(fast.value().series[0].samples[0] == mimir::Sample{5, 1.0});
    CHECK(same_record(fast.value(), through_protobuf("t", value).value()));
  }
  SECTION("a repeated scalar field: the last one wins") {
    const std::string value = series_with(value_1 + ts_5 + value_2);
    CHECK(mimir::decode_record_as_wal("t", value, kVersion1, 42).value().series[0].samples[0] == mimir::Sample{5, 2.0});
    CHECK(same_record(mimir::decode_record_as_wal("t", value, kVersion1, 42).value(), through_protobuf("t", value).value()));
  }
  SECTION("a non-minimal varint") {
    const std::string value = series_with(value_1 + ts_5_long);
    CHECK(mimir::decode_record_as_wal("t", value, kVersion1, 42).value().series[0].samples[0] == mimir::Sample{5, 1.0});
  }
  SECTION("invalid UTF-8 in a label is rejected as protobuf rejects it") {
    const std::string bad_label = length_delimited(1, "job") + length_delimited(2, "\xff");
    const std::string value = length_delimited(1, length_delimited(1, bad_label));
    const auto fast = mimir::decode_record_as_wal("t", value, kVersion1, 42);
    REQUIRE_FALSE(fast.ok());
    CHECK(fast.error().message == through_protobuf("t", value).error().message);
  }
  SECTION("UTF-8 past, across and inside eight-byte ASCII words reads as protobuf reads it") {
    for (const std::string label : {"abcdefgh\xff", "abcdefghijklmno\xc3", "abcdefg\xc3\xa9xyz", "abcdefghijklmnop",
                                    "\xe2\x82\xac-euro-sign-here", "seven77\xed\xa0\x80", "abcdefgh\xf4\x90\x80\x80"}) {
      CAPTURE(label);
      const std::string value =
          length_delimited(1, length_delimited(1, length_delimited(1, "job") + length_delimited(2, label)));
      const auto fast = mimir::decode_record_as_wal("t", value, kVersion1, 42);
      const auto slow = through_protobuf("t", value);
      REQUIRE(fast.ok() == slow.ok());
      if (!fast.ok()) CHECK(fast.error().message == slow.error().message);
    }
  }
  SECTION("a bad record envelope is rejected before the bytes are read") {
    const std::string value = series_with(value_1 + ts_5);
    CHECK(mimir::decode_record_as_wal("", value, kVersion1, 42).error().message == "record: empty key (no tenant id)");
    CHECK_FALSE(mimir::decode_record_as_wal("t", value, {mimir::record_version_header(2)}, 42).ok());
  }
}

TEST_CASE("record to WAL: the real Prometheus captures read the same both ways", "[models][mimir][record_to_wal]") {
  const auto dir = std::filesystem::path(WEIR_TESTDATA_DIR) / "remote-write" / "prometheus-2.42-self";
  const auto files = weir::models::list_captures(dir);
  REQUIRE(files.ok());
  REQUIRE(files.value().size() == 27);
  std::size_t series = 0;
  for (const auto& file : files.value()) {
    const auto request = weir::models::load_capture(file);
    REQUIRE(request.ok());
    const std::string value = request.value().SerializeAsString();
    const auto fast = mimir::decode_record_as_wal("tenant-1", value, kVersion1, 42);
    REQUIRE(fast.ok());
    CHECK(same_record(fast.value(), through_protobuf("tenant-1", value).value()));
    series += fast.value().series.size();
  }
  CHECK(series == 10'597);
}
