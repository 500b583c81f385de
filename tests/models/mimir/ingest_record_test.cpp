#include <string>

#include <catch2/catch.hpp>

#include "weir/models/mimir/ingest_record.h"

namespace mimir = weir::models::mimir;

namespace {

prometheus::WriteRequest make_request(int series, int samples_per_series, int metadata = 0) {
  prometheus::WriteRequest r;
  for (int s = 0; s < series; ++s) {
    auto* ts = r.add_timeseries();
    auto* name = ts->add_labels();
    name->set_name("__name__");
    name->set_value("metric_" + std::to_string(s));
    auto* job = ts->add_labels();
    job->set_name("job");
    job->set_value("job-" + std::to_string(s % 7));
    for (int i = 0; i < samples_per_series; ++i) {
      auto* x = ts->add_samples();
      x->set_timestamp(1'000'000 + 15'000 * i);
      x->set_value(s + i * 0.5);
    }
  }
  for (int m = 0; m < metadata; ++m) {
    auto* md = r.add_metadata();
    md->set_type(prometheus::MetricMetadata::COUNTER);
    md->set_metric_family_name("metric_" + std::to_string(m));
    md->set_help(std::string(200, 'h'));
  }
  return r;
}

}  // namespace

TEST_CASE("the default max record size is Mimir's 16,000,000 - 16,384 bytes") {
  CHECK(mimir::kDefaultMaxRecordBytes == 15'983'616);
}

TEST_CASE("a record round-trips: key is the tenant, value the WriteRequest, version in a header") {
  const auto request = make_request(3, 4, 2);
  const auto records = mimir::encode_records("tenant-7", request);
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == "tenant-7");
  CHECK(records[0].value == request.SerializeAsString());
  REQUIRE(records[0].headers.size() == 1);
  CHECK(records[0].headers[0] == mimir::RecordHeader{"Version", std::string("\0\0\0\1", 4)});

  auto decoded = mimir::decode_record(records[0].key, records[0].value, records[0].headers);
  REQUIRE(decoded.ok());
  CHECK(decoded.value().tenant == "tenant-7");
  CHECK(decoded.value().version == 1);
  CHECK(decoded.value().request.SerializeAsString() == request.SerializeAsString());

  // Without headers (weir's kafka::Record carries none) the same bytes decode as version 0.
  auto v0 = mimir::decode_record(records[0].key, records[0].value);
  REQUIRE(v0.ok());
  CHECK(v0.value().version == 0);
  CHECK(v0.value().request.SerializeAsString() == request.SerializeAsString());
}

TEST_CASE("a big request splits at series boundaries; every series is in exactly one record") {
  const auto request = make_request(2'000, 20, 300);
  constexpr std::size_t kMax = 64 * 1024;
  REQUIRE(request.ByteSizeLong() > 4 * kMax);
  const auto records = mimir::encode_records("t", request, kMax);
  REQUIRE(records.size() > 4);

  prometheus::WriteRequest joined;
  bool metadata_started = false;
  for (const auto& rec : records) {
    CHECK(rec.value.size() <= kMax);
    CHECK(rec.key == "t");
    auto decoded = mimir::decode_record(rec.key, rec.value, rec.headers);
    REQUIRE(decoded.ok());
    const auto& part = decoded.value().request;
    CHECK((part.timeseries_size() == 0 || part.metadata_size() == 0));  // series and metadata in separate records
    if (part.metadata_size() > 0) metadata_started = true;
    if (metadata_started) CHECK(part.timeseries_size() == 0);         // series first, then metadata
    for (const auto& ts : part.timeseries()) *joined.add_timeseries() = ts;
    for (const auto& md : part.metadata()) *joined.add_metadata() = md;
  }
  CHECK(joined.SerializeAsString() == request.SerializeAsString());
}

TEST_CASE("a single series over the limit gets a record of its own") {
  auto request = make_request(3, 10);
  for (int i = 0; i < 5'000; ++i) {
    auto* x = request.mutable_timeseries(1)->add_samples();
    x->set_timestamp(i);
    x->set_value(i);
  }
  const auto records = mimir::encode_records("t", request, 4'096);
  REQUIRE(records.size() == 3);
  CHECK(records[1].value.size() > 4'096);
  CHECK(records[0].value.size() <= 4'096);
  CHECK(records[2].value.size() <= 4'096);
}

TEST_CASE("malformed records give clear errors") {
  const auto good = mimir::encode_records("t", make_request(1, 1))[0];
  auto no_key = mimir::decode_record("", good.value, good.headers);
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.error().message == "record: empty key (no tenant id)");

  auto garbage = mimir::decode_record("t", std::string("\xff\xff\xff", 3));
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.rfind("record: protobuf: ", 0) == 0);

  auto truncated = mimir::decode_record("t", good.value.substr(0, good.value.size() - 3));
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().message.rfind("record: protobuf: truncated", 0) == 0);

  auto short_header = mimir::decode_record("t", good.value, {{"Version", "\x01"}});
  REQUIRE_FALSE(short_header.ok());
  CHECK(short_header.error().message == "record: Version header of 1 bytes, want 4");

  auto v2 = mimir::decode_record("t", good.value, {mimir::record_version_header(2)});
  REQUIRE_FALSE(v2.ok());
  CHECK(v2.error().message.find("version 2") != std::string::npos);

  auto v7 = mimir::decode_record("t", good.value, {mimir::record_version_header(7)});
  REQUIRE_FALSE(v7.ok());
  CHECK(v7.error().message == "record: unknown record version 7");

  CHECK_THROWS_AS(mimir::encode_records("", make_request(1, 1)), std::invalid_argument);
  CHECK_THROWS_AS(mimir::encode_records("t", make_request(1, 1), 0), std::invalid_argument);
}
