// The follower's side of replication: one fetcher per (leader broker, topic)
// keeps the partitions this broker follows in sync. After every leader change
// a partition first truncates its log to where it agrees with the new leader
// (OffsetsForLeaderEpoch, KIP-101 with KIP-279's iteration), then fetches
// from its log end with replica_id = its broker index.
#include <algorithm>

#include "broker.h"
#include "weir/sim/assert.h"
#include "weir/models/kafka/classic/trace_kinds.h"

namespace weir::models::kafka::classic {
namespace {

constexpr std::uint64_t kRequestBytes = 64;
constexpr std::uint64_t kPerPartitionBytes = 16;

}  // namespace

void Broker::fetch_loop(sim::NodeId source, std::size_t topic) {
  for (;;) {
    std::vector<Replica*> replicas = following(source, topic);
    if (replicas.empty()) {
      const sim::WakeToken token = sim_.prepare_park();
      metadata_changed_.subscribe(token);
      sim_.park_until(sim_.now() + options_->replica_fetch_backoff);
      continue;
    }
    if (!truncate_diverged(source, topic, replicas)) {
      sim_.sleep(options_->replica_fetch_backoff);
      continue;
    }
    std::erase_if(replicas, [](const Replica* r) { return r->needs_truncation; });
    if (!replicas.empty()) fetch_from(source, topic, replicas);
  }
}

std::vector<Replica*> Broker::following(sim::NodeId source, std::size_t topic) {
  std::vector<Replica*> result;
  for (std::int32_t p = 0; p < topology_->topic_partitions(topic); ++p) {
    Replica* r = replicas_[topology_->partition_index(topic, p)].get();
    if (r != nullptr && r->state.leader == source && r->fetch_backoff_until <= sim_.now()) result.push_back(r);
  }
  return result;
}

bool Broker::truncate_diverged(sim::NodeId source, std::size_t topic, const std::vector<Replica*>& replicas) {
  OffsetsForLeaderEpochRequest request;
  request.topic = topology_->topic_name(topic);
  std::vector<Replica*> asked;
  std::uint64_t digest = 0;
  for (Replica* r : replicas) {
    if (!r->needs_truncation) continue;
    if (r->log.latest_epoch() < 0) {
      r->needs_truncation = false;  // an empty log has nothing to disagree with
      continue;
    }
    request.partitions.push_back(EpochQuery{topology_->partition_of(r->index), r->state.leader_epoch, r->log.latest_epoch()});
    asked.push_back(r);
    digest = sim::hash_combine(digest, sim::hash_combine(r->index, static_cast<std::uint64_t>(r->log.latest_epoch())));
  }
  if (asked.empty()) return true;
  const std::vector<EpochQuery> sent = request.partitions;
  const std::uint64_t bytes = kRequestBytes + kPerPartitionBytes * sent.size();
  auto reply = sim_.network().call(
      self_, source,
      sim::Payload{std::move(request), bytes, digest, kTrafficReplication}, options_->replica_fetch_response_timeout);
  if (!reply.ok()) return false;
  const auto& answers = reply.value().partitions;
  for (std::size_t i = 0; i < asked.size() && i < answers.size(); ++i) {
    Replica& r = *asked[i];
    // Skip what changed while the request was out: its answer is stale.
    if (r.state.leader != source || r.state.leader_epoch != sent[i].current_leader_epoch || !r.needs_truncation ||
        r.log.latest_epoch() != sent[i].leader_epoch) {
      continue;
    }
    if (answers[i].error != ErrorCode::none) {
      r.fetch_backoff_until = sim_.now() + options_->replica_fetch_backoff;
      continue;
    }
    apply_epoch_answer(r, answers[i]);
  }
  return true;
}

void Broker::apply_epoch_answer(Replica& r, const EpochAnswer& answer) {
  if (answer.leader_epoch < 0 || answer.end_offset < 0) {
    truncate(r, r.high_watermark);  // the leader cannot tell: Kafka's fallback
    r.needs_truncation = false;
    return;
  }
  const EpochEndOffset mine = r.log.end_offset_for_epoch(answer.leader_epoch);
  if (mine.end_offset < 0) {
    truncate(r, r.high_watermark);
    r.needs_truncation = false;
  } else if (mine.epoch == answer.leader_epoch) {
    truncate(r, std::min(answer.end_offset, mine.end_offset));
    r.needs_truncation = false;
  } else {
    // We never saw the leader's epoch: cut back to the end of our largest
    // epoch below it and ask again.
    truncate(r, mine.end_offset);
  }
}

void Broker::truncate(Replica& r, std::int64_t offset) {
  // Only a follower truncates, to agree with its leader; a leader's log is
  // the reference (a reply that arrives after it became leader is stale).
  WEIR_ASSERT(!r.leads(self_), "partition {}: the leader truncates its own log to {}", r.index, offset);
  const std::int64_t before = r.log.end_offset();
  const std::int64_t dropped = r.log.truncate_to(offset);
  r.high_watermark = std::min(r.high_watermark, r.log.end_offset());
  if (dropped > 0) {
    if (traced(r)) sim_.event(self_, kTraceTruncated, {partition_number(r), before, r.log.end_offset()});
    r.progress.notify_all();
  }
}

void Broker::restart_log_at(Replica& r, std::int64_t offset) {
  WEIR_ASSERT(!r.leads(self_), "partition {}: the leader restarts its own log at {}", r.index, offset);
  const std::int64_t before = r.log.end_offset();
  r.log.truncate_fully_and_start_at(offset);
  r.high_watermark = offset;
  if (traced(r)) sim_.event(self_, kTraceTruncated, {partition_number(r), before, r.log.end_offset()});
  r.progress.notify_all();
}

void Broker::fetch_from(sim::NodeId source, std::size_t topic, const std::vector<Replica*>& replicas) {
  FetchRequest request;
  request.topic = topology_->topic_name(topic);
  request.max_wait = options_->replica_fetch_max_wait;
  request.min_bytes = 1;
  request.max_bytes = options_->replica_fetch_max_bytes;
  request.client_zone = topology_->broker_zone(broker_index_);
  request.replica_id = static_cast<std::int32_t>(broker_index_);
  std::uint64_t digest = broker_index_;
  for (const Replica* r : replicas) {
    request.partitions.push_back(
        FetchPartition{topology_->partition_of(r->index), r->log.end_offset(), r->state.leader_epoch});
    digest = sim::hash_combine(digest, static_cast<std::uint64_t>(r->log.end_offset()));
  }
  const std::vector<FetchPartition> sent = request.partitions;
  const std::uint64_t bytes = kRequestBytes + kPerPartitionBytes * sent.size();
  auto reply = sim_.network().call(
      self_, source, sim::Payload{std::move(request), bytes, digest, kTrafficReplication},
      options_->replica_fetch_max_wait + options_->replica_fetch_response_timeout);
  if (!reply.ok()) {
    sim_.sleep(options_->replica_fetch_backoff);
    return;
  }
  for (FetchPartitionResponse& fetched : reply.value().partitions) {
    std::size_t i = 0;
    while (i < sent.size() && sent[i].partition != fetched.partition) ++i;
    if (i == sent.size()) continue;
    Replica& r = *replicas[i];
    if (r.state.leader != source || r.state.leader_epoch != sent[i].current_leader_epoch || r.needs_truncation ||
        r.log.end_offset() != sent[i].fetch_offset) {
      continue;  // changed while the fetch was out
    }
    switch (fetched.error) {
      case ErrorCode::none:
        append_fetched(r, fetched);
        break;
      case ErrorCode::offset_out_of_range:
        if (r.log.end_offset() < fetched.log_start_offset) {
          // Retention at the leader deleted what we would fetch next (we
          // were away longer than retention.ms): like Kafka's
          // truncateFullyAndStartAt, start an empty log at its log start.
          restart_log_at(r, fetched.log_start_offset);
        } else {
          // Our log runs past the leader's: cut back below its high watermark
          // and check agreement by epoch again.
          truncate(r, std::min(r.log.end_offset(), fetched.high_watermark));
          r.needs_truncation = true;
        }
        break;
      case ErrorCode::not_leader_or_follower:
      case ErrorCode::leader_not_available:
      case ErrorCode::not_enough_replicas:
      case ErrorCode::not_enough_replicas_after_append:
      case ErrorCode::request_timed_out:
      case ErrorCode::unknown_topic_or_partition:
      case ErrorCode::fenced_leader_epoch:
      case ErrorCode::coordinator_not_available:
      case ErrorCode::kafka_storage_error:
        r.fetch_backoff_until = sim_.now() + options_->replica_fetch_backoff;
        break;
    }
  }
}

void Broker::append_fetched(Replica& r, FetchPartitionResponse& fetched) {
  const std::int64_t before = r.log.end_offset();
  for (FetchedRecord& f : fetched.records) {
    if (f.offset != r.log.end_offset()) break;
    r.log.append(std::move(f.record), f.leader_epoch, sim_.now());
  }
  if (r.log.end_offset() > before && traced(r)) {
    sim_.event(self_, kTraceReplicated, {partition_number(r), r.log.end_offset()});
  }
  // A follower's high watermark is the leader's, bounded by its own log.
  WEIR_ASSERT(fetched.records.empty() || fetched.records.front().offset <= r.log.end_offset(),
              "partition {}: fetched from offset {}, past the follower's log end {} (a gap)", r.index,
              fetched.records.front().offset, r.log.end_offset());
  r.high_watermark = std::min(fetched.high_watermark, r.log.end_offset());
  r.progress.notify_all();
}

}  // namespace weir::models::kafka::classic
