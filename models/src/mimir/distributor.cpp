#include "weir/models/mimir/distributor.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "go_format.h"
#include "push_tracker.h"
#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/series_validation.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/remote_write.h"
#include "weir/sim/hash.h"
#include "weir/sim/network.h"

namespace weir::models::mimir {
namespace {

constexpr std::string_view kTrafficRemoteWrite = "remote_write";
constexpr std::uint64_t kResponseBytes = 64;

PushResponse status(int code, std::string message = {}) { return PushResponse{code, std::move(message)}; }

kafka::Record to_kafka_record(IngestRecord record, std::int64_t timestamp_ms) {
  kafka::Record out;
  out.key = std::move(record.key);
  out.value = std::move(record.value);
  out.timestamp_ms = timestamp_ms;
  for (RecordHeader& header : record.headers) {
    out.headers.push_back(kafka::RecordHeader{std::move(header.key), std::move(header.value)});
  }
  return out;
}

DistributorOptions checked(DistributorOptions options) {
  if (auto error = options.validate()) throw std::invalid_argument(fmt::format("DistributorOptions: {}", *error));
  return options;
}

// Mimir's ingestionRateLimitedMsgFormat and ingestionBurstSizeLimitedMsgFormat.
std::string rate_limited_message(const TenantLimits& limits, std::int64_t items) {
  if (items > limits.ingestion_burst_size) {
    return fmt::format(
        "the request has been rejected because the tenant exceeded the ingestion burst size limit, set to {}, "
        "with {} items. This limit is applied on the total number of samples, exemplars and metadata received "
        "across all distributors (err-mimir-tenant-max-ingestion-rate). To adjust the related per-tenant limit, "
        "configure -distributor.ingestion-burst-size, or contact your service administrator.",
        limits.ingestion_burst_size, items);
  }
  return fmt::format(
      "the request has been rejected because the tenant exceeded the ingestion rate limit, set to {} items/s with "
      "a maximum allowed burst of {}. This limit is applied on the total number of samples, exemplars and "
      "metadata received across all distributors (err-mimir-tenant-max-ingestion-rate). To adjust the related "
      "per-tenant limits, configure -distributor.ingestion-rate-limit and -distributor.ingestion-burst-size, or "
      "contact your service administrator.",
      go::float_v(limits.ingestion_rate), limits.ingestion_burst_size);
}

// Keeps the entries `keep` accepts, in order; the others are removed.
template <class Entry, class Keep>
void filter(google::protobuf::RepeatedPtrField<Entry>& entries, Keep keep) {
  int kept = 0;
  for (int i = 0; i < entries.size(); ++i) {
    if (!keep(*entries.Mutable(i))) continue;
    if (kept != i) entries.SwapElements(kept, i);
    ++kept;
  }
  entries.DeleteSubrange(kept, entries.size() - kept);
}

}  // namespace

std::optional<std::string> DistributorOptions::validate() const {
  if (auto error = limits.validate()) return fmt::format("limits: {}", *error);
  if (topic.empty()) return "topic must not be empty";
  if (request_timeout.ns() <= 0) return "request_timeout must be positive";
  if (rate_limit_distributors < 1) return "rate_limit_distributors must be at least 1";
  if (max_recv_msg_size == 0) return "max_recv_msg_size must be positive";
  if (max_record_bytes == 0) return "max_record_bytes must be positive";
  if (auto error = producer.validate()) return fmt::format("producer: {}", *error);
  return std::nullopt;
}

Distributor::Distributor(sim::Simulation& sim, sim::NodeId node, const PartitionRingKv& ring,
                         std::vector<sim::NodeId> log_bootstrap, DistributorOptions options,
                         properties::History* history)
    : sim_(sim),
      node_(node),
      ring_(ring),
      options_(checked(std::move(options))),
      history_(history),
      rate_limiter_(options_.limits.ingestion_rate / options_.rate_limit_distributors,
                    options_.limits.ingestion_burst_size) {
  if (options_.producer.client_zone.empty()) options_.producer.client_zone = sim.node(node).zone();
  producer_ = std::make_unique<kafka::Producer>(sim, node, std::move(log_bootstrap), options_.producer);
  sim.network().serve<PushRequest>(node, [this](sim::NodeId, const PushRequest& request) {
    PushResponse response = push(request);
    const std::uint64_t digest = sim::hash_combine(static_cast<std::uint64_t>(response.http_status),
                                                   sim::fnv1a64(response.message));
    return sim::Payload{std::move(response), kResponseBytes, digest, kTrafficRemoteWrite};
  });
}

Distributor::~Distributor() = default;

sim::BootFn Distributor::boot(const PartitionRingKv& ring, std::vector<sim::NodeId> log_bootstrap,
                              DistributorOptions options, properties::History* history) {
  return [&ring, log_bootstrap = std::move(log_bootstrap), options = std::move(options), history](
             sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<Distributor>(sim, node, ring, log_bootstrap, options, history);
  };
}

PushResponse Distributor::push(const PushRequest& request) {
  ++stats_.requests;
  PushSize size;
  PushResponse response = handle(request, size);
  return answer(std::move(response), request.trace_write, size);
}

PushResponse Distributor::answer(PushResponse response, std::int64_t trace_write, const PushSize& size) {
  const int family = response.http_status / 100;
  if (family == 2) ++stats_.answered_2xx;
  if (family == 4) ++stats_.answered_4xx;
  if (family == 5) ++stats_.answered_5xx;
  sim_.event(node_, kTraceDistributorPush, {trace_write, size.series, size.samples, response.http_status});
  return response;
}

PushResponse Distributor::handle(const PushRequest& request, PushSize& size) {
  if (request.tenant.empty()) return status(401, "no org id");
  DecodeOptions decode_options;
  decode_options.max_uncompressed_bytes = options_.max_recv_msg_size;
  // The request, its split into partitions and their records live and die
  // together: one arena holds them all.
  google::protobuf::Arena arena(request_arena_options());
  auto decoded = decode_write_request(request.body, decode_options, arena);
  if (!decoded) return status(400, decoded.error().message);
  prometheus::WriteRequest& write_request = *decoded.value();
  size.series = write_request.timeseries_size();
  for (const prometheus::TimeSeries& series : write_request.timeseries()) size.samples += series.samples_size();

  std::int64_t items = 0;
  const std::optional<std::string> finding = validate(write_request, items);
  if (items == 0) return finding ? status(400, *finding) : status(200);
  if (!rate_limiter_.allow(request.tenant, sim_.now(), items)) {
    return status(429, rate_limited_message(options_.limits, items));
  }
  Partitioned partitioned = shard(request.tenant, write_request, arena);
  if (partitioned.error) return status(500, *partitioned.error);
  return write(request.tenant, std::move(partitioned), finding, request.trace_write);
}

// Drops what Mimir drops; returns the first finding and counts the valid
// samples and metadata (exemplars are removed, so they count for nothing).
std::optional<std::string> Distributor::validate(prometheus::WriteRequest& request, std::int64_t& items) {
  std::optional<std::string> first;
  const std::int64_t now_ms = sim_.now().ms();
  filter(*request.mutable_timeseries(), [&](prometheus::TimeSeries& series) {
    if (!prepare_series(series)) return false;
    if (auto error = validate_series(series, options_.limits, now_ms)) {
      if (!first) first = std::move(error);
      ++stats_.series_invalid;
      return false;
    }
    items += series.samples_size();
    return true;
  });
  filter(*request.mutable_metadata(), [&](prometheus::MetricMetadata& metadata) {
    if (auto error = validate_metadata(metadata, options_.limits)) {
      if (!first) first = std::move(error);
      return false;
    }
    ++items;
    return true;
  });
  return first;
}

const PartitionRing& Distributor::tenant_ring(const std::string& tenant) {
  const int size = options_.limits.ingestion_partitions_tenant_shard_size;
  if (size <= 0) return ring_.ring();
  auto it = shuffle_shards_.find(tenant);
  if (it == shuffle_shards_.end() || it->second.first != ring_.version()) {
    it = shuffle_shards_.insert_or_assign(tenant, std::make_pair(ring_.version(), ring_.ring().shuffle_shard(tenant, size)))
             .first;
  }
  return it->second.second;
}

Distributor::Partitioned Distributor::shard(const std::string& tenant, prometheus::WriteRequest& request,
                                            google::protobuf::Arena& arena) {
  const PartitionRing& ring = tenant_ring(tenant);
  std::map<PartitionId, prometheus::WriteRequest*> parts;
  // A part on the request's own arena takes its series by swapping pointers.
  const auto part_of = [&](PartitionId partition) -> prometheus::WriteRequest& {
    prometheus::WriteRequest*& part = parts[partition];
    if (part == nullptr) part = google::protobuf::Arena::CreateMessage<prometheus::WriteRequest>(&arena);
    return *part;
  };
  Partitioned out;
  for (prometheus::TimeSeries& series : *request.mutable_timeseries()) {
    const auto partition = ring.active_partition_for_token(shard_token(tenant, series.labels()));
    if (!partition) {
      out.error = "the partition ring has no ACTIVE partition";
      return out;
    }
    out.samples += static_cast<std::uint64_t>(series.samples_size());
    *part_of(*partition).add_timeseries() = std::move(series);
  }
  for (prometheus::MetricMetadata& metadata : *request.mutable_metadata()) {
    const auto partition = ring.active_partition_for_token(metadata_token(tenant, metadata.metric_family_name()));
    if (!partition) {
      out.error = "the partition ring has no ACTIVE partition";
      return out;
    }
    *part_of(*partition).add_metadata() = std::move(metadata);
  }
  for (const auto& [partition, part] : parts) out.parts.emplace_back(partition, part);
  return out;
}

PushResponse Distributor::write(const std::string& tenant, Partitioned partitioned,
                                const std::optional<std::string>& finding, std::int64_t trace_write) {
  const sim::Time deadline = sim_.now() + options_.request_timeout;
  auto tracker = std::make_shared<PushTracker>(sim_, options_.ack_before_all_partitions);
  const std::int64_t now_ms = sim_.now().ms();
  for (auto& [partition, part] : partitioned.parts) {
    for (IngestRecord& record : encode_records(tenant, *part, options_.max_record_bytes)) {
      kafka::Record kafka_record = to_kafka_record(std::move(record), now_ms);
      const std::uint64_t digest = kafka_record.digest();
      tracker->expect(partition);
      ++stats_.records_produced;
      watch(tracker, partition, digest, producer_->produce(options_.topic, partition, std::move(kafka_record)),
            trace_write);
    }
  }
  stats_.samples_written += partitioned.samples;

  const std::optional<bool> verdict = tracker->verdict().get_until(deadline);
  if (!verdict) {
    ++stats_.timed_out;
    return status(500, "exceeded configured distributor remote timeout: context deadline exceeded");
  }
  if (!*verdict) return status(500, tracker->error());
  return finding ? status(400, *finding) : status(200);
}

// Waits, in a fiber of its own, for one record's produce: records the log's
// acknowledgement in the History whenever it comes, and tells the tracker.
void Distributor::watch(std::shared_ptr<PushTracker> tracker, PartitionId partition, std::uint64_t digest,
                        sim::Future<kafka::ProduceResult> result, std::int64_t trace_write) {
  sim_.spawn(node_, [this, tracker = std::move(tracker), partition, digest, result, trace_write]() mutable {
    const kafka::ProduceResult produced = result.get();
    if (!produced.ok()) {
      ++stats_.records_failed;
      tracker->failed(partition, fmt::format("{} ({})", kafka::to_string(produced.status),
                                             kafka::to_string(produced.error)));
      return;
    }
    ++stats_.records_acked;
    if (history_ != nullptr) history_->record_log_ack(partition, produced.offset, digest, sim_.now().ns());
    sim_.event(node_, kTraceDistributorLogAck, {trace_write, digest, partition, produced.offset});
    tracker->acked(partition);
  });
}

}  // namespace weir::models::mimir
