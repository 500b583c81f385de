#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/models/mimir/ingestion_rate_limiter.h"
#include "weir/models/mimir/series_validation.h"
#include "write_path_fixture.h"

namespace mimir = weir::models::mimir;
using mimir::testing::make_series;
using weir::sim::Duration;
using weir::sim::Time;

namespace {

using LabelList = std::vector<std::pair<std::string, std::string>>;

// Concatenation by appending (GCC 12 warns falsely on literal + std::string).
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

std::optional<std::string> check(const LabelList& labels, std::int64_t ts = 0, const mimir::TenantLimits& limits = {},
                                 std::int64_t now_ms = 0) {
  prometheus::TimeSeries series = make_series(labels, {{ts, 1.0}});
  REQUIRE(mimir::prepare_series(series));
  return mimir::validate_series(series, limits, now_ms);
}

LabelList with_extra_labels(const std::string& metric, int extra) {
  LabelList labels{{"__name__", metric}};
  for (int i = 0; i < extra; ++i) {
    const char name[] = {'l', static_cast<char>('a' + i / 26), static_cast<char>('a' + i % 26), '\0'};
    labels.emplace_back(name, "v");
  }
  return labels;
}

}  // namespace

TEST_CASE("tenant limits default to Mimir's", "[mimir][validation]") {
  const mimir::TenantLimits limits;
  CHECK(limits.ingestion_rate == 10'000);
  CHECK(limits.ingestion_burst_size == 200'000);
  CHECK(limits.max_label_names_per_series == 30);
  CHECK(limits.max_label_names_per_info_series == 80);
  CHECK(limits.max_label_name_length == 1024);
  CHECK(limits.max_label_value_length == 2048);
  CHECK(limits.creation_grace_period == Duration::seconds(600));
  CHECK(limits.past_grace_period == Duration());
  CHECK(limits.ingestion_partitions_tenant_shard_size == 0);
  CHECK_FALSE(limits.validate());
  mimir::TenantLimits bad;
  bad.ingestion_rate = 0;
  CHECK(bad.validate());
}

TEST_CASE("prepare_series drops empty values, sorts labels and clears exemplars", "[mimir][validation]") {
  prometheus::TimeSeries series = make_series({{"job", "node"}, {"env", ""}, {"__name__", "up"}, {"a", "1"}}, {});
  series.add_exemplars()->set_value(1);
  REQUIRE(mimir::prepare_series(series));
  CHECK(mimir::labels_string(series.labels()) == R"({__name__="up", a="1", job="node"})");
  CHECK(series.exemplars_size() == 0);

  prometheus::TimeSeries empty = make_series({{"__name__", ""}}, {});
  CHECK_FALSE(mimir::prepare_series(empty));
}

TEST_CASE("unsorted labels are sorted, not rejected", "[mimir][validation]") {
  CHECK_FALSE(check({{"job", "node"}, {"__name__", "up"}, {"instance", "h"}}));
}

TEST_CASE("each invalid series gets Mimir's message", "[mimir][validation]") {
  CHECK(check({{"job", "node"}}) == "received series has no metric name (err-mimir-missing-metric-name)");
  CHECK(check({{"__name__", "1up"}}) ==
        "received a series with invalid metric name: '1up' (err-mimir-metric-name-invalid)");
  CHECK(check({{"__name__", "up"}, {"bad-name", "x"}}) ==
        R"(received a series with an invalid label: 'bad-name' series: '{__name__="up", bad-name="x"}' )"
        "(err-mimir-label-invalid)");
  CHECK(check({{"__name__", "up"}, {"", "x"}}) ==
        R"(received a series with an invalid label: '' series: '{="x", __name__="up"}' (err-mimir-label-invalid))");
  CHECK(check({{"__name__", "up"}, {"job", "a"}, {"job", "b"}}) ==
        R"(received a series with duplicate label name, label: 'job' series: '{__name__="up", job="a", job="b"}' )"
        "(err-mimir-duplicate-label-names)");

  const std::string long_name(1025, 'n');
  CHECK(check({{"__name__", "up"}, {long_name, "x"}}) ==
        cat("received a series whose label name length exceeds the limit, label: '", std::string(200, 'n'),
            "' series: '{__name__=\"up\", ", std::string(184, 'n'),
            "' (err-mimir-label-name-too-long). To adjust the related per-tenant limit, configure "
            "-validation.max-length-label-name, or contact your service administrator."));

  const std::string long_value(2049, 'v');
  const auto value_error = check({{"__name__", "up"}, {"job", long_value}});
  REQUIRE(value_error);
  CHECK(value_error->rfind(cat("received a series whose label value length exceeds the limit, label: 'job', "
                               "value: '",
                               std::string(200, 'v'), "' (truncated) series: '"),
                           0) == 0);
  CHECK(value_error->find("(err-mimir-label-value-too-long). To adjust the related per-tenant limit, configure "
                          "-validation.max-length-label-value") != std::string::npos);
  CHECK_FALSE(check({{"__name__", "up"}, {"job", std::string(2048, 'v')}}));
}

TEST_CASE("the label count limit is 30, 80 for info series", "[mimir][validation]") {
  CHECK_FALSE(check(with_extra_labels("up", 29)));
  const auto error = check(with_extra_labels("up", 30));
  REQUIRE(error);
  CHECK(error->rfind("received a series whose number of labels exceeds the limit (actual: 31, limit: 30) series: "
                     "'{__name__=\"up\", laa=\"v\"",
                     0) == 0);
  CHECK(error->find("\u2026' (err-mimir-max-label-names-per-series). To adjust the related per-tenant limit, "
                    "configure -validation.max-label-names-per-series, or contact your service administrator.") !=
        std::string::npos);
  CHECK_FALSE(check(with_extra_labels("target_info", 79)));
  const auto info_error = check(with_extra_labels("target_info", 80));
  REQUIRE(info_error);
  CHECK(info_error->rfind("received an info series whose number of labels exceeds the limit (actual: 81, limit: 80)",
                          0) == 0);
  CHECK(info_error->find("(err-mimir-max-label-names-per-info-series)") != std::string::npos);
}

TEST_CASE("samples beyond the creation grace period are rejected", "[mimir][validation]") {
  const std::int64_t now_ms = 1'000'000;
  const std::int64_t grace_ms = 600'000;
  CHECK_FALSE(check({{"__name__", "up"}}, now_ms + grace_ms, {}, now_ms));
  CHECK(check({{"__name__", "up"}}, now_ms + grace_ms + 1, {}, now_ms) ==
        "received a sample whose timestamp is too far in the future, timestamp: 1600001 series: 'up' "
        "(err-mimir-too-far-in-future). To adjust the related per-tenant limit, configure "
        "-validation.create-grace-period, or contact your service administrator.");
  CHECK_FALSE(check({{"__name__", "up"}}, 0, {}, now_ms));  // old samples pass: past grace period is off

  mimir::TenantLimits limits;
  limits.past_grace_period = Duration::seconds(60);
  CHECK(check({{"__name__", "up"}}, now_ms - 60'001, limits, now_ms)->find("(err-mimir-too-far-in-past)") !=
        std::string::npos);
  CHECK_FALSE(check({{"__name__", "up"}}, now_ms - 60'000, limits, now_ms));
}

TEST_CASE("metadata: help is truncated, a missing or long name is rejected", "[mimir][validation]") {
  const mimir::TenantLimits limits;
  prometheus::MetricMetadata metadata;
  metadata.set_metric_family_name("up");
  metadata.set_help(std::string(2000, 'h'));
  CHECK_FALSE(mimir::validate_metadata(metadata, limits));
  CHECK(metadata.help().size() == 1024);

  prometheus::MetricMetadata nameless;
  CHECK(mimir::validate_metadata(nameless, limits) ==
        "received a metric metadata with no metric name (err-mimir-metadata-missing-metric-name)");
  prometheus::MetricMetadata long_name;
  long_name.set_metric_family_name(std::string(1025, 'm'));
  CHECK(mimir::validate_metadata(long_name, limits)->find("(err-mimir-metric-name-too-long)") != std::string::npos);
}

TEST_CASE("label name charsets are Prometheus's legacy ones", "[mimir][validation]") {
  CHECK(mimir::is_valid_metric_name("node_cpu:rate5m"));
  CHECK_FALSE(mimir::is_valid_metric_name("9lives"));
  CHECK_FALSE(mimir::is_valid_metric_name("a-b"));
  CHECK(mimir::is_valid_label_name("_x9"));
  CHECK_FALSE(mimir::is_valid_label_name("a:b"));
  CHECK_FALSE(mimir::is_valid_label_name("é"));
  CHECK_FALSE(mimir::is_valid_label_name(""));
}

TEST_CASE("validation: well-formed series pass; anything else has an err-mimir message", "[mimir][validation]") {
  CHECK(rc::check("valid series pass", [] {
    const auto count = *rc::gen::inRange(0, 29);
    LabelList labels{{"__name__", cat("m_", std::to_string(*rc::gen::inRange(0, 1000)))}};
    for (int i = 0; i < count; ++i) labels.emplace_back(cat("l", std::to_string(i)), *rc::gen::nonEmpty<std::string>());
    prometheus::TimeSeries series = make_series(labels, {{*rc::gen::inRange(0, 600'000), 0.5}});
    RC_ASSERT(mimir::prepare_series(series));
    RC_ASSERT(!mimir::validate_series(series, {}, 0));
  }));
  CHECK(rc::check("any series: no throw, and findings carry an error id", [] {
    const auto names = *rc::gen::container<std::vector<std::string>>(rc::gen::arbitrary<std::string>());
    LabelList labels;
    for (const auto& name : names) labels.emplace_back(name, *rc::gen::arbitrary<std::string>());
    prometheus::TimeSeries series = make_series(labels, {{*rc::gen::arbitrary<std::int64_t>(), 1.0}});
    if (!mimir::prepare_series(series)) return;
    const auto error = mimir::validate_series(series, {}, 0);
    if (error) RC_ASSERT(error->find("(err-mimir-") != std::string::npos);
  }));
}

TEST_CASE("the ingestion rate limiter is a token bucket that starts full", "[mimir][rate_limit]") {
  mimir::IngestionRateLimiter limiter(100, 1000);
  const Time t0 = Time::zero();
  CHECK(limiter.allow("a", t0, 1000));
  CHECK_FALSE(limiter.allow("a", t0, 1));
  CHECK(limiter.allow("b", t0, 600));  // tenants have their own buckets
  CHECK_FALSE(limiter.allow("a", t0 + Duration::milliseconds(999), 100));
  CHECK(limiter.allow("a", t0 + Duration::seconds(1), 100));
  CHECK_FALSE(limiter.allow("a", t0 + Duration::seconds(100), 1001));  // over the burst: never
  CHECK(limiter.tokens("a", t0 + Duration::seconds(100)) == 1000);     // a refusal takes nothing
}
