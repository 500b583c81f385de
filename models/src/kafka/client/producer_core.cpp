#include "producer_core.h"

#include <algorithm>
#include <utility>

#include "weir/sim/hash.h"
#include "weir/sim/network.h"

namespace weir::models::kafka {
namespace {

std::uint64_t partition_digest(const TopicPartition& tp) {
  return sim::hash_combine(sim::fnv1a64(tp.topic), static_cast<std::uint64_t>(tp.partition));
}

std::uint64_t request_digest(const ProduceRequest& request) {
  std::uint64_t h = sim::fnv1a64(request.topic);
  for (const auto& partition : request.partitions) {
    h = sim::hash_combine(h, static_cast<std::uint64_t>(partition.partition));
    for (const auto& record : partition.records) h = sim::hash_combine(h, record.digest());
  }
  return h;
}

// franz-go retries UNKNOWN_TOPIC_OR_PARTITION on produce ("we know more than
// the broker"), on top of the errors the protocol marks retriable.
bool retriable_for_produce(ErrorCode error) {
  return is_retriable(error) || error == ErrorCode::unknown_topic_or_partition;
}

}  // namespace

ProducerCore::ProducerCore(sim::Simulation& sim, sim::NodeId node, ProducerOptions options)
    : sim_(sim),
      node_(node),
      options_(std::move(options)),
      random_(sim.random("kafka.client.producer").fork(sim.node(node).name())),
      connections_(sim, node, options_.dial_timeout),
      idle_(sim) {}

void ProducerCore::start(std::vector<sim::NodeId> bootstrap) {
  MetadataCacheOptions metadata;
  metadata.client_zone = options_.client_zone;
  metadata.min_age = options_.metadata_min_age;
  metadata.max_age = options_.metadata_max_age;
  // Metadata requests carry no timeout of their own: franz-go gives them the
  // request timeout overhead alone (2 s in Mimir's writer).
  metadata.request_timeout = options_.request_timeout_overhead;
  metadata.dial_timeout = options_.dial_timeout;
  metadata.retry_backoff = options_.retry_backoff;
  metadata_ = MetadataCache::create(sim_, node_, std::move(bootstrap), metadata);
  metadata_->add_listener([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->on_metadata();
  });
}

void ProducerCore::close() {
  if (closed_) return;
  closed_ = true;
  metadata_->close();
  idle_.set(true);  // releases flushers
}

// ---------------------------------------------------------------- buffering

sim::Future<ProduceResult> ProducerCore::produce(const TopicPartition& tp, Record record) {
  sim::Promise<ProduceResult> promise(sim_);
  sim::Future<ProduceResult> future = promise.future();
  if (closed_) return future;
  ++stats_.records_produced;
  if (record.wire_bytes() > options_.batch_max_bytes) {
    ++stats_.records_failed;
    promise.set(ProduceResult{ProduceStatus::record_too_large, -1, ErrorCode::none, 0});
    return future;
  }
  ++outstanding_;
  append(tp, PendingRecord{std::move(record), std::move(promise)});
  return future;
}

void ProducerCore::append(const TopicPartition& tp, PendingRecord pending) {
  PartitionQueue& queue = partitions_[tp];
  const std::uint64_t bytes = pending.record.wire_bytes();
  Batch& batch = open_batch(tp, queue, bytes);
  batch.records.push_back(std::move(pending));
  batch.bytes += bytes;
  if (batch.bytes >= options_.batch_max_bytes) batch.sealed = true;
  if (queue.failing) return;
  if (ready(queue)) {
    drain();
  } else {
    arm_timer(tp, queue);
  }
}

ProducerCore::Batch& ProducerCore::open_batch(const TopicPartition& tp, PartitionQueue& queue, std::uint64_t bytes) {
  if (!queue.batches.empty()) {
    Batch& last = queue.batches.back();
    if (!last.sealed && last.bytes + bytes <= options_.batch_max_bytes) return last;
    last.sealed = true;
  }
  Batch batch;
  batch.seq = next_batch_seq_++;
  batch.tp = tp;
  batch.created = sim_.now();
  batch.deadline = sim_.now() + options_.delivery_timeout;
  sim_.schedule(batch.deadline, node_, kTraceProducerExpiry, batch.seq,
                [weak = weak_from_this(), tp, seq = batch.seq] {
                  if (auto self = weak.lock()) self->expire(tp, seq);
                });
  queue.batches.push_back(std::move(batch));
  return queue.batches.back();
}

// A partition may be sent when its first batch is sealed or has lingered
// (or a flush is on), and its backoff is over.
sim::Time ProducerCore::ready_at(const PartitionQueue& queue) const {
  const Batch& front = queue.batches.front();
  const bool full = front.sealed || queue.batches.size() > 1 || flushing_ > 0;
  const sim::Time lingered = full ? sim_.now() : front.created + options_.linger;
  return std::max(lingered, queue.backoff_until);
}

bool ProducerCore::ready(const PartitionQueue& queue) const {
  return !queue.batches.empty() && !queue.failing && ready_at(queue) <= sim_.now();
}

void ProducerCore::arm_timer(const TopicPartition& tp, PartitionQueue& queue) {
  if (queue.batches.empty() || queue.failing) return;
  const sim::Time at = ready_at(queue);
  if (at <= sim_.now() || at >= queue.timer_at) return;
  queue.timer_at = at;
  sim_.schedule(at, node_, kTraceProducerTimer, partition_digest(tp), [weak = weak_from_this(), tp, at] {
    auto self = weak.lock();
    if (!self) return;
    PartitionQueue& q = self->partitions_[tp];
    if (q.timer_at == at) q.timer_at = sim::Time::max();
    self->drain();
  });
}

// ---------------------------------------------------------------- sending

void ProducerCore::drain() {
  if (closed_) return;
  std::map<std::pair<sim::NodeId, std::string>, std::vector<TopicPartition>> ready_by_destination;
  for (auto& [tp, queue] : partitions_) {
    if (queue.batches.empty() || queue.failing) continue;
    if (!ready(queue)) {
      arm_timer(tp, queue);
      continue;
    }
    const std::optional<PartitionRoute> route = metadata_->route(tp);
    if (!route) {
      metadata_->trigger();
      continue;
    }
    ready_by_destination[{route->leader, tp.topic}].push_back(tp);
  }
  for (auto& [destination, tps] : ready_by_destination) drain_to(destination.first, destination.second, std::move(tps));
}

// Fills requests to `broker`, one batch per ready partition each, while it
// has room for more in flight.
void ProducerCore::drain_to(sim::NodeId broker, const std::string& topic, std::vector<TopicPartition> ready_tps) {
  while (!ready_tps.empty() && in_flight_[broker] < options_.max_in_flight_requests_per_broker) {
    std::vector<Batch> batches;
    for (const TopicPartition& tp : ready_tps) take_batch(partitions_[tp], batches);
    std::erase_if(ready_tps, [this](const TopicPartition& tp) {
      PartitionQueue& queue = partitions_[tp];
      if (ready(queue)) return false;
      arm_timer(tp, queue);
      return true;
    });
    if (!batches.empty()) send(broker, topic, std::move(batches));
  }
}

// Moves the partition's first batch to `out`, or fails everything buffered
// when that batch is past its delivery timeout (franz-go's check before a
// write).
bool ProducerCore::take_batch(PartitionQueue& queue, std::vector<Batch>& out) {
  if (queue.batches.front().deadline <= sim_.now()) {
    fail_buffered(queue);
    return false;
  }
  out.push_back(std::move(queue.batches.front()));
  queue.batches.pop_front();
  out.back().sealed = true;
  ++out.back().attempts;
  return true;
}

void ProducerCore::send(sim::NodeId broker, const std::string& topic, std::vector<Batch> batches) {
  ProduceRequest request;
  request.topic = topic;
  request.acks = options_.acks;
  request.timeout = options_.request_timeout;
  for (const Batch& batch : batches) {
    ProducePartitionData data;
    data.partition = batch.tp.partition;
    data.records.reserve(batch.records.size());
    for (const PendingRecord& pending : batch.records) data.records.push_back(pending.record);
    request.partitions.push_back(std::move(data));
  }
  const std::uint64_t bytes = request.wire_bytes();
  const std::uint64_t digest = request_digest(request);
  sim::Payload payload{std::move(request), bytes, digest, kTrafficProduce};
  const int in_flight = ++in_flight_[broker];
  stats_.max_in_flight_observed = std::max(stats_.max_in_flight_observed, in_flight);
  ++stats_.requests_sent;
  for (const Batch& batch : batches) {
    sim_.event(node_, kTraceProduceSend, {batch.seq, batch.records.size(), batch.tp.partition, broker});
  }
  sim_.spawn(node_, [self = shared_from_this(), broker, payload = std::move(payload),
                     batches = std::move(batches)]() mutable {
    self->run_request(broker, std::move(payload), std::move(batches));
  });
}

void ProducerCore::run_request(sim::NodeId broker, sim::Payload<ProduceRequest> payload, std::vector<Batch> batches) {
  auto reply = connections_.call(broker, std::move(payload),
                                 options_.request_timeout + options_.request_timeout_overhead);
  --in_flight_[broker];
  if (closed_) return;
  if (reply.ok()) {
    handle_response(reply.value(), std::move(batches));
  } else {
    // No answer: the records may or may not be written. franz-go retries.
    for (Batch& batch : batches) retry(std::move(batch), ErrorCode::request_timed_out);
  }
  drain();
}

void ProducerCore::handle_response(const ProduceResponse& response, std::vector<Batch> batches) {
  for (Batch& batch : batches) {
    const auto it = std::find_if(response.partitions.begin(), response.partitions.end(),
                                 [&](const ProducePartitionResponse& p) { return p.partition == batch.tp.partition; });
    const ErrorCode error = it == response.partitions.end() ? ErrorCode::request_timed_out : it->error;
    if (error == ErrorCode::none) {
      succeed(batch, it->base_offset);
    } else if (retriable_for_produce(error)) {
      retry(std::move(batch), error);
    } else {
      fail(batch, ProduceStatus::rejected, error);
    }
  }
}

// ---------------------------------------------------------------- outcomes

// Puts the batch back at the head of its partition (ahead of later batches)
// to wait for a metadata refresh and a backoff, or fails it and everything
// buffered behind it once past its delivery timeout.
void ProducerCore::retry(Batch batch, ErrorCode error) {
  batch.last_error = error;
  PartitionQueue& queue = partitions_[batch.tp];
  if (batch.deadline <= sim_.now()) {
    fail(batch, ProduceStatus::delivery_timeout, error);
    fail_buffered(queue);
    return;
  }
  ++stats_.batches_retried;
  sim_.event(node_, kTraceProduceRetry, {batch.seq, batch.tp.partition, to_string(error)});
  const sim::Time backoff_until = sim_.now() + options_.retry_backoff.delay(batch.attempts, random_);
  queue.backoff_until = std::max(queue.backoff_until, backoff_until);
  queue.failing = true;
  const auto position = std::find_if(queue.batches.begin(), queue.batches.end(),
                                     [&](const Batch& queued) { return queued.seq > batch.seq; });
  queue.batches.insert(position, std::move(batch));
  metadata_->trigger();
}

void ProducerCore::succeed(Batch& batch, std::int64_t base_offset) {
  sim_.event(node_, kTraceProduceAck,
             {batch.seq, batch.tp.partition, base_offset,
              base_offset + static_cast<std::int64_t>(batch.records.size()) - 1});
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const auto offset = base_offset + static_cast<std::int64_t>(i);
    batch.records[i].promise.set(ProduceResult{ProduceStatus::ok, offset, ErrorCode::none, batch.attempts});
  }
  stats_.records_acked += batch.records.size();
  finish_records(batch.records.size());
}

void ProducerCore::fail(Batch& batch, ProduceStatus status, ErrorCode error) {
  // The log's error when it rejected the batch, else why the client gave up.
  sim_.event(node_, kTraceProduceFail,
             {batch.seq, batch.tp.partition, status == ProduceStatus::rejected ? to_string(error) : to_string(status)});
  for (PendingRecord& pending : batch.records) {
    pending.promise.set(ProduceResult{status, -1, error, batch.attempts});
  }
  stats_.records_failed += batch.records.size();
  finish_records(batch.records.size());
}

// franz-go fails every record buffered for a partition when one times out,
// so that it never fails a record and then writes a later one.
void ProducerCore::fail_buffered(PartitionQueue& queue) {
  std::deque<Batch> batches = std::move(queue.batches);
  queue.batches.clear();
  for (Batch& batch : batches) fail(batch, ProduceStatus::delivery_timeout, batch.last_error);
}

void ProducerCore::expire(const TopicPartition& tp, std::uint64_t seq) {
  if (closed_) return;
  PartitionQueue& queue = partitions_[tp];
  const bool buffered = std::any_of(queue.batches.begin(), queue.batches.end(),
                                    [seq](const Batch& batch) { return batch.seq == seq; });
  if (buffered) fail_buffered(queue);
}

void ProducerCore::finish_records(std::size_t count) {
  outstanding_ -= count;
  if (outstanding_ != 0) return;
  sim::Promise<bool> idle = idle_;
  idle_ = sim::Promise<bool>(sim_);
  idle.set(true);
}

void ProducerCore::on_metadata() {
  for (auto& [tp, queue] : partitions_) queue.failing = false;
  drain();
}

void ProducerCore::flush() {
  ++flushing_;
  drain();
  while (outstanding_ > 0 && !closed_) {
    sim::Future<bool> idle = idle_.future();
    idle.get();
  }
  --flushing_;
}

}  // namespace weir::models::kafka
