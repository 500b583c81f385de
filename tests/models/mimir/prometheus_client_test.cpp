#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/prometheus_client.h"
#include "weir/properties/sample_value.h"
#include "write_path_fixture.h"

namespace mimir = weir::models::mimir;
namespace properties = weir::properties;
using mimir::testing::kPartitions;
using mimir::testing::WritePathFixture;
using properties::WriteOutcome;
using weir::sim::Duration;

namespace {

mimir::PrometheusClientOptions client_options(const WritePathFixture& f, int series, int scrapes) {
  mimir::PrometheusClientOptions options;
  options.series = series;
  options.scrapes = scrapes;
  options.remote_write.distributors = f.distributors;
  return options;
}

mimir::PrometheusClient& client(WritePathFixture& f, weir::sim::NodeId node) {
  return f.sim.node(node).process_as<mimir::PrometheusClient>();
}

std::uint64_t samples_of(const properties::Write& write) {
  std::uint64_t total = 0;
  for (const auto& run : write.samples) total += run.count;
  return total;
}

std::vector<WriteOutcome> outcomes(const properties::History& history) {
  std::vector<WriteOutcome> out;
  for (const auto& write : history.writes()) out.push_back(write.outcome);
  return out;
}

// Every sample in the log, checked against sample_value; returns how many there are.
std::size_t check_log_values(const WritePathFixture& f, const std::string& tenant) {
  std::size_t samples = 0;
  for (const auto& records : f.log_records()) {
    for (const auto& fetched : records) {
      std::vector<mimir::RecordHeader> headers;
      for (const auto& h : fetched.record.headers) headers.push_back({h.key, h.value});
      auto decoded = mimir::decode_record(fetched.record.key, fetched.record.value, headers);
      REQUIRE(decoded.ok());
      for (const auto& series : decoded.value().request.timeseries()) {
        const auto id = mimir::series_id(tenant, series.labels());
        for (const auto& sample : series.samples()) {
          CHECK(sample.value() == properties::sample_value(id, sample.timestamp()));
          ++samples;
        }
      }
    }
  }
  return samples;
}

}  // namespace

TEST_CASE("prometheus client defaults are Prometheus's queue_config", "[mimir][prometheus_client]") {
  const mimir::PrometheusClientOptions o;
  CHECK(o.max_samples_per_send == 2000);
  CHECK(o.batch_send_deadline == Duration::seconds(5));
  CHECK(o.capacity == 10'000);
  CHECK(o.scrape_interval == Duration::seconds(15));
  CHECK(o.remote_write.remote_timeout == Duration::seconds(30));
  CHECK(o.remote_write.min_backoff == Duration::milliseconds(30));
  CHECK(o.remote_write.max_backoff == Duration::seconds(5));
  CHECK_FALSE(o.remote_write.retry_on_http_429);
  CHECK(o.validate());  // no distributor yet
}

TEST_CASE("the client sends 2000-sample batches and the rest after the 5 s deadline", "[mimir][prometheus_client]") {
  WritePathFixture f;
  f.add_distributor();
  const auto node = f.add_client("prometheus-0", mimir::PrometheusClient::boot(client_options(f, 2500, 3), &f.history));
  f.sim.run_for(Duration::seconds(60));
  REQUIRE(client(f, node).finished());

  const auto& writes = f.history.writes();
  REQUIRE(writes.size() == 6);
  std::vector<std::uint64_t> sizes;
  for (const auto& w : writes) sizes.push_back(samples_of(w));
  CHECK(sizes == std::vector<std::uint64_t>{2000, 500, 2000, 500, 2000, 500});
  CHECK(outcomes(f.history) == std::vector<WriteOutcome>(6, WriteOutcome::acked));
  CHECK(writes[1].invoked_at - *writes[0].completed_at == Duration::seconds(5).ns());
  CHECK(writes[3].invoked_at - *writes[2].completed_at == Duration::seconds(5).ns());
  CHECK(writes[2].invoked_at - writes[0].invoked_at == Duration::seconds(15).ns());  // scrapes 15 s apart
  CHECK(writes[5].invoked_at == *writes[4].completed_at);  // the last scrape done, the queue flushes at once
  CHECK(client(f, node).stats().max_batch_samples == 2000);
  CHECK(check_log_values(f, "tenant-1") == 7500);
}

TEST_CASE("5xx answers are retried with doubling backoff, each attempt a write", "[mimir][prometheus_client]") {
  WritePathFixture f(1, false);
  for (int p = 0; p < kPartitions; ++p) f.ring.register_owner("ingester-zone-a-" + std::to_string(p), p);
  f.ring.start_reconciler();  // ACTIVE at 15 s: until then every push fails with a 500
  f.add_distributor();
  auto options = client_options(f, 10, 1);
  options.scrape_interval = Duration::seconds(1);
  f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(30));

  const auto& writes = f.history.writes();
  REQUIRE(writes.size() >= 5);
  Duration backoff = Duration::milliseconds(30);
  for (std::size_t i = 0; i + 1 < writes.size(); ++i) {
    CHECK(writes[i].outcome == WriteOutcome::timed_out);  // a 5xx is ambiguous
    CHECK(writes[i].detail == "HTTP 500: the partition ring has no ACTIVE partition");
    CHECK(writes[i + 1].invoked_at - *writes[i].completed_at == backoff.ns());
    CHECK(writes[i + 1].samples == writes[0].samples);
    backoff = std::min(backoff * 2, Duration::seconds(5));
  }
  CHECK(writes.back().outcome == WriteOutcome::acked);
  CHECK(*writes.back().completed_at >= Duration::seconds(15).ns());
}

TEST_CASE("a batch given up after max_attempts ends with a failed write", "[mimir][prometheus_client]") {
  WritePathFixture f(1, false);
  f.add_distributor();
  auto options = client_options(f, 10, 1);
  options.remote_write.max_attempts = 3;
  const auto node = f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(30));
  CHECK(outcomes(f.history) ==
        std::vector<WriteOutcome>{WriteOutcome::timed_out, WriteOutcome::timed_out, WriteOutcome::failed});
  CHECK(client(f, node).remote_write_stats().batches_given_up == 1);
}

TEST_CASE("a distributor timeout is a timed_out write, and the retry is acked", "[mimir][prometheus_client]") {
  WritePathFixture f;
  f.add_distributor();
  SECTION("every partition's produce answer is lost") {
    f.log.faults().withhold_produce_replies = 1;
    f.add_client("prometheus-0", mimir::PrometheusClient::boot(client_options(f, 50, 1), &f.history));
    f.sim.run_for(Duration::seconds(30));
    CHECK(outcomes(f.history) == std::vector<WriteOutcome>{WriteOutcome::timed_out, WriteOutcome::acked});
    CHECK(f.history.writes()[0].detail ==
          "HTTP 500: exceeded configured distributor remote timeout: context deadline exceeded");
    CHECK(check_log_values(f, "tenant-1") == 100);  // the first attempt was written too
  }
  SECTION("one partition's records wait for the producer's retry") {
    f.log.faults().fail_produce_partitions = 1;
    f.log.faults().fail_produce_error = weir::models::kafka::ErrorCode::not_enough_replicas;
    f.add_client("prometheus-0", mimir::PrometheusClient::boot(client_options(f, 50, 1), &f.history));
    f.sim.run_for(Duration::seconds(40));
    const auto& writes = f.history.writes();
    REQUIRE(writes.size() >= 2);
    CHECK(writes[0].outcome == WriteOutcome::timed_out);
    CHECK(writes[0].detail == "HTTP 500: exceeded configured distributor remote timeout: context deadline exceeded");
    CHECK(writes.back().outcome == WriteOutcome::acked);
  }
}

TEST_CASE("a client timeout is a timed_out write", "[mimir][prometheus_client]") {
  WritePathFixture f;
  f.add_distributor();
  f.log.faults().withhold_produce_replies = 1;
  auto options = client_options(f, 50, 1);
  options.remote_write.remote_timeout = Duration::seconds(1);  // shorter than the distributor's 2 s
  f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(30));
  REQUIRE(f.history.writes().size() >= 2);
  CHECK(f.history.writes()[0].outcome == WriteOutcome::timed_out);
  CHECK(f.history.writes()[0].detail == "no answer within remote_timeout");
  CHECK(f.history.writes().back().outcome == WriteOutcome::acked);
}

TEST_CASE("4xx answers drop the batch without retrying", "[mimir][prometheus_client]") {
  WritePathFixture f;
  mimir::DistributorOptions distributor;
  distributor.limits.max_label_names_per_series = 3;  // the client's series have 6 labels
  f.add_distributor(distributor);
  const auto node = f.add_client("prometheus-0", mimir::PrometheusClient::boot(client_options(f, 20, 2), &f.history));
  f.sim.run_for(Duration::seconds(45));
  CHECK(outcomes(f.history) == std::vector<WriteOutcome>(2, WriteOutcome::rejected));
  CHECK(f.history.writes()[0].detail.find("HTTP 400: received a series whose number of labels exceeds the limit") == 0);
  CHECK(client(f, node).remote_write_stats().batches_dropped == 2);
  CHECK(client(f, node).remote_write_stats().retries == 0);
}

TEST_CASE("429 drops the batch unless retry_on_http_429", "[mimir][prometheus_client][rate_limit]") {
  const bool retry_on_429 = GENERATE(false, true);
  WritePathFixture f;
  mimir::DistributorOptions distributor;
  distributor.limits.ingestion_rate = 100;
  distributor.limits.ingestion_burst_size = 2000;
  f.add_distributor(distributor);
  auto options = client_options(f, 2000, 2);
  options.remote_write.retry_on_http_429 = retry_on_429;
  f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(60));

  const auto& writes = f.history.writes();
  REQUIRE(writes.size() >= 2);
  CHECK(writes[0].outcome == WriteOutcome::acked);  // the full bucket takes the first scrape
  CHECK(writes[1].outcome == WriteOutcome::rejected);
  CHECK(writes[1].detail.find("HTTP 429: the request has been rejected because the tenant exceeded the ingestion "
                              "rate limit") == 0);
  if (!retry_on_429) {
    CHECK(writes.size() == 2);
  } else {
    CHECK(writes.size() > 3);
    CHECK(writes.back().outcome == WriteOutcome::acked);
    // The bucket held 1500 tokens at the second scrape and refills 100/s: 5 s later it has 2000.
    CHECK(writes.back().invoked_at - writes[1].invoked_at >= Duration::seconds(5).ns());
  }
}

TEST_CASE("churn replaces series between scrapes", "[mimir][prometheus_client]") {
  WritePathFixture f;
  f.add_distributor();
  auto options = client_options(f, 100, 3);
  options.churn_per_scrape = 10;
  f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(60));
  std::set<properties::SeriesId> series;
  std::uint64_t samples = 0;
  for (const auto& write : f.history.writes()) {
    samples += samples_of(write);
    for (const auto& run : write.samples) series.insert(run.series);
  }
  CHECK(samples == 300);
  CHECK(series.size() == 120);
}

TEST_CASE("the client balances its batches over the distributors", "[mimir][prometheus_client]") {
  const auto balancing = GENERATE(mimir::Balancing::round_robin, mimir::Balancing::random);
  WritePathFixture f;
  f.add_distributor();
  f.add_distributor();
  auto options = client_options(f, 10, 8);
  options.remote_write.balancing = balancing;
  f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
  f.sim.run_for(Duration::seconds(150));
  const auto first = f.distributor(0).stats().requests;
  const auto second = f.distributor(1).stats().requests;
  CHECK(first + second == 8);
  if (balancing == mimir::Balancing::round_robin) CHECK(first == 4);
  CHECK(first > 0);
  CHECK(second > 0);
}

TEST_CASE("write path runs are deterministic: same seed, same trace hash and history", "[mimir][determinism]") {
  const auto run = [](std::uint64_t seed) {
    WritePathFixture f(seed);
    mimir::DistributorOptions distributor;
    distributor.limits.ingestion_rate = 500;
    distributor.limits.ingestion_burst_size = 2000;
    f.add_distributor(distributor);
    f.add_distributor(distributor);
    f.log.faults().withhold_produce_replies = 1;
    auto options = client_options(f, 300, 6);
    options.churn_per_scrape = 30;
    options.shards = 2;
    options.remote_write.balancing = mimir::Balancing::random;
    options.remote_write.retry_on_http_429 = true;
    f.add_client("prometheus-0", mimir::PrometheusClient::boot(options, &f.history));
    f.add_client("prometheus-1", mimir::PrometheusClient::boot(options, &f.history));
    f.sim.run_for(Duration::seconds(120));
    return std::make_pair(f.sim.trace_hash(), f.history.data());
  };
  const auto a = run(7);
  const auto b = run(7);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  CHECK_FALSE(a.second.writes.empty());
  CHECK(run(8).first != a.first);
}
