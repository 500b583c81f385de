#include "weir/scenarios/bench_floor.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/partition_ring.h"
#include "weir/models/mimir/partition_tokens.h"
#include "weir/models/mimir/prometheus_client.h"
#include "weir/models/mimir/record_to_wal.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/mimir/tenant_heads.h"
#include "weir/models/remote_write.h"

namespace weir::scenarios {
namespace {

namespace mimir = models::mimir;
using Clock = std::chrono::steady_clock;

struct ClientSeries {
  mimir::Labels labels;
  mimir::SeriesId id = 0;
};

std::vector<std::vector<ClientSeries>> make_clients(const FloorWorkload& w) {
  std::vector<std::vector<ClientSeries>> clients(static_cast<std::size_t>(w.clients));
  mimir::PrometheusClientOptions options;
  options.tenant = w.tenant;
  for (int c = 0; c < w.clients; ++c) {
    options.job = fmt::format("floor-client-{}", c);
    for (int i = 0; i < w.series_per_client; ++i) {
      mimir::Labels labels = mimir::scrape_series_labels(options, options.job, static_cast<std::uint64_t>(i));
      const mimir::SeriesId id = mimir::series_id(w.tenant, labels);
      clients[static_cast<std::size_t>(c)].push_back({std::move(labels), id});
    }
  }
  return clients;
}

mimir::PartitionRing make_ring(int partitions) {
  mimir::PartitionRing ring({}, mimir::make_partition_token_table(partitions - 1));
  ring.add_partitions(partitions, mimir::PartitionState::active, sim::Time{});
  return ring;
}

// The timed work for one request body: steps 1 to 3 of the header.
class FloorPipeline {
 public:
  FloorPipeline(const FloorWorkload& w, FloorReport& report)
      : w_(w), report_(report), ring_(make_ring(w.partitions)) {
    heads_.resize(static_cast<std::size_t>(w.ingester_zones));
  }

  void ingest(const std::string& body) {
    google::protobuf::Arena arena(models::request_arena_options());
    auto request = models::decode_write_request(body, {}, arena);
    if (!request) throw std::logic_error("bench floor: " + request.error().message);
    ++report_.requests;
    std::map<mimir::PartitionId, prometheus::WriteRequest*> parts;
    for (prometheus::TimeSeries& series : *request.value()->mutable_timeseries()) {
      const auto partition = ring_.active_partition_for_token(mimir::shard_token(w_.tenant, series.labels()));
      prometheus::WriteRequest*& part = parts[*partition];
      if (part == nullptr) part = google::protobuf::Arena::CreateMessage<prometheus::WriteRequest>(&arena);
      *part->add_timeseries() = std::move(series);
    }
    for (const auto& [partition, part] : parts) {
      for (const mimir::IngestRecord& record : mimir::encode_records(w_.tenant, *part, mimir::kDefaultMaxRecordBytes)) {
        ++report_.records;
        for (auto& zone : heads_) append(zone, partition, record);
      }
    }
  }

 // Samples the heads took, over every zone: the check that the work was done.
  std::uint64_t appended() const {
    std::uint64_t total = 0;
    for (const auto& zone : heads_) {
      for (const auto& [partition, heads] : zone) total += heads.count(mimir::AppendOutcome::appended);
    }
    return total;
  }

 private:
  void append(std::map<mimir::PartitionId, mimir::TenantHeads>& zone, mimir::PartitionId partition,
              const mimir::IngestRecord& record) {
    const auto logged = mimir::decode_record_as_wal(record.key, record.value, record.headers, 0);
    if (!logged) throw std::logic_error("bench floor: " + logged.error().message);
    zone.try_emplace(partition, mimir::HeadOptions{}).first->second.apply(logged.value());
  }

  const FloorWorkload& w_;
  FloorReport& report_;
  mimir::PartitionRing ring_;
  std::vector<std::map<mimir::PartitionId, mimir::TenantHeads>> heads_;  // per zone, per partition
};

}  // namespace

FloorReport measure_pipeline_floor(const FloorWorkload& w) {
  FloorReport report;
  FloorPipeline pipeline(w, report);
  const std::vector<std::vector<ClientSeries>> clients = make_clients(w);
  const auto batch_max = static_cast<std::size_t>(w.max_samples_per_send);
  Clock::duration timed{};
  std::vector<std::string> bodies;
  for (int scrape = 0; scrape < w.scrapes; ++scrape) {
    const mimir::TimestampMs ts = 5'000 + scrape * w.scrape_interval_ms;
    bodies.clear();
    for (const auto& client : clients) {
      for (std::size_t first = 0; first < client.size(); first += batch_max) {
        prometheus::WriteRequest request;
        for (std::size_t i = first; i < std::min(client.size(), first + batch_max); ++i) {
          mimir::add_scraped_sample(request, client[i].labels, client[i].id, ts);
        }
        bodies.push_back(models::encode_write_request(request));
      }
    }
    const Clock::time_point start = Clock::now();
    for (const std::string& body : bodies) pipeline.ingest(body);
    timed += Clock::now() - start;
    report.samples += static_cast<std::uint64_t>(w.clients) * static_cast<std::uint64_t>(w.series_per_client);
  }
  report.samples_appended = pipeline.appended();
  report.wall_seconds = std::chrono::duration<double>(timed).count();
  report.samples_per_wall_second = report.wall_seconds > 0 ? static_cast<double>(report.samples) / report.wall_seconds : 0;
  return report;
}

}  // namespace weir::scenarios
