// The leader's side of fetching: consumer and follower Fetch with long
// polling, OffsetsForLeaderEpoch, follower progress, the high watermark, and
// ISR changes through the controller (AlterPartition).
#include "broker.h"
#include "weir/sim/assert.h"

namespace weir::models::kafka::classic {
namespace {

constexpr std::uint64_t kSmallResponseBytes = 64;
constexpr std::uint64_t kPerPartitionBytes = 16;

ErrorCode epoch_error(std::int32_t requested, std::int32_t current) {
  if (requested < 0 || requested == current) return ErrorCode::none;
  // An older epoch is fenced; a newer one means this broker is behind.
  return requested < current ? ErrorCode::fenced_leader_epoch : ErrorCode::not_leader_or_follower;
}

}  // namespace

sim::Payload<FetchResponse> Broker::handle_fetch(const FetchRequest& request) {
  const bool from_follower = request.replica_id >= 0;
  const sim::NodeId follower =
      from_follower && static_cast<std::size_t>(request.replica_id) < topology_->broker_count()
          ? topology_->broker_node(static_cast<std::size_t>(request.replica_id))
          : sim::kNoNode;
  const std::vector<FetchSlot> slots = resolve_fetch(request, follower);
  await_fetchable(slots, from_follower, sim_.now() + request.max_wait);
  FetchResponse response = read_fetch(slots, from_follower, request.max_bytes);
  std::uint64_t digest = 0;
  for (const FetchPartitionResponse& p : response.partitions) {
    digest = sim::hash_combine(digest, sim::hash_combine(static_cast<std::uint64_t>(p.error),
                                                         static_cast<std::uint64_t>(p.high_watermark)));
    digest = sim::hash_combine(digest, p.records.empty() ? 0 : static_cast<std::uint64_t>(p.records.back().offset));
  }
  const std::uint64_t bytes = response.wire_bytes();
  return sim::Payload{std::move(response), bytes, digest, from_follower ? kTrafficReplication : kTrafficFetch};
}

std::vector<Broker::FetchSlot> Broker::resolve_fetch(const FetchRequest& request, sim::NodeId follower) {
  std::vector<FetchSlot> slots;
  for (const FetchPartition& p : request.partitions) {
    FetchSlot& s = slots.emplace_back();
    s.partition = p.partition;
    s.offset = p.fetch_offset;
    s.error = find_leader(request.topic, p.partition, &s.replica);
    if (s.error != ErrorCode::none) continue;
    Replica& r = *s.replica;
    s.leader_epoch = r.state.leader_epoch;
    s.error = epoch_error(p.current_leader_epoch, r.state.leader_epoch);
    if (s.error == ErrorCode::none && request.replica_id >= 0 && !r.state.is_replica(follower)) {
      s.error = ErrorCode::not_leader_or_follower;
    }
    if (s.error == ErrorCode::none && (p.fetch_offset < r.log.start_offset() || p.fetch_offset > r.log.end_offset())) {
      s.error = ErrorCode::offset_out_of_range;
    }
    if (s.error == ErrorCode::none && request.replica_id >= 0) record_follower_fetch(r, follower, p.fetch_offset);
  }
  return slots;
}

void Broker::await_fetchable(const std::vector<FetchSlot>& slots, bool from_follower, sim::Time deadline) {
  // Long polling: answer at once if anything is readable or wrong, else wait
  // for progress up to max_wait. (min_bytes is taken as 1.)
  for (;;) {
    for (const FetchSlot& s : slots) {
      if (s.error != ErrorCode::none || !s.replica->leads(self_) || s.replica->state.leader_epoch != s.leader_epoch) {
        return;
      }
      if ((from_follower ? s.replica->log.end_offset() : s.replica->high_watermark) > s.offset) return;
    }
    if (sim_.now() >= deadline) return;
    const sim::WakeToken token = sim_.prepare_park();
    for (const FetchSlot& s : slots) s.replica->progress.subscribe(token);
    sim_.park_until(deadline);
  }
}

FetchResponse Broker::read_fetch(const std::vector<FetchSlot>& slots, bool from_follower, std::uint64_t max_bytes) {
  FetchResponse response;
  std::uint64_t budget = max_bytes;
  bool any_record = false;
  for (const FetchSlot& s : slots) {
    FetchPartitionResponse& out = response.partitions.emplace_back();
    out.partition = s.partition;
    out.error = s.error;
    const Replica* r = s.replica;
    if (out.error == ErrorCode::none && (!r->leads(self_) || r->state.leader_epoch != s.leader_epoch)) {
      out.error = ErrorCode::not_leader_or_follower;
    }
    if (r != nullptr) {
      out.high_watermark = r->high_watermark;
      out.log_start_offset = r->log.start_offset();
    }
    if (out.error != ErrorCode::none) continue;
    // Followers read to the log end, consumers to the high watermark.
    const std::int64_t limit = from_follower ? r->log.end_offset() : r->high_watermark;
    for (std::int64_t o = s.offset; o < limit; ++o) {
      const LogEntry& e = r->log.at(o);
      const std::uint64_t size = e.record.wire_bytes();
      if (size > budget && any_record) break;  // like Kafka, the first record always fits
      budget -= std::min(size, budget);
      any_record = true;
      out.records.push_back(FetchedRecord{o, e.record, e.leader_epoch});
    }
  }
  return response;
}

sim::Payload<OffsetsForLeaderEpochResponse> Broker::handle_offsets_for_leader_epoch(const OffsetsForLeaderEpochRequest& request) {
  OffsetsForLeaderEpochResponse response;
  std::uint64_t digest = 0;
  for (const EpochQuery& q : request.partitions) {
    EpochAnswer& a = response.partitions.emplace_back();
    a.partition = q.partition;
    Replica* r = nullptr;
    a.error = find_leader(request.topic, q.partition, &r);
    if (a.error == ErrorCode::none) a.error = epoch_error(q.current_leader_epoch, r->state.leader_epoch);
    if (a.error == ErrorCode::none) {
      const EpochEndOffset e = r->log.end_offset_for_epoch(q.leader_epoch);
      a.leader_epoch = e.epoch;
      a.end_offset = e.end_offset;
    }
    digest = sim::hash_combine(digest, sim::hash_combine(static_cast<std::uint64_t>(a.leader_epoch),
                                                         static_cast<std::uint64_t>(a.end_offset)));
  }
  const std::uint64_t bytes = kSmallResponseBytes + kPerPartitionBytes * response.partitions.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficReplication};
}

// ---------------------------------------------------------------- progress

void Broker::record_follower_fetch(Replica& r, sim::NodeId follower, std::int64_t fetch_offset) {
  FollowerState* f = r.follower(follower);
  if (f == nullptr) return;
  const sim::Time now = sim_.now();
  const std::int64_t leader_end = r.log.end_offset();
  // Kafka's rule: caught up now if it fetched from our log end; caught up at
  // its previous fetch if it fetched from where our log ended back then.
  if (fetch_offset >= leader_end) {
    f->last_caught_up = std::max(f->last_caught_up, now);
  } else if (f->leader_end_at_last_fetch >= 0 && fetch_offset >= f->leader_end_at_last_fetch) {
    f->last_caught_up = std::max(f->last_caught_up, f->last_fetch);
  }
  f->leader_end_at_last_fetch = leader_end;
  f->last_fetch = now;
  f->log_end_offset = fetch_offset;
  maybe_expand_isr(r, *f);
  maybe_advance_high_watermark(r);
}

void Broker::maybe_advance_high_watermark(Replica& r) {
  if (!r.leads(self_)) return;
  // The minimum log end over the ISR, counting members being added (Kafka's
  // "maximal ISR") and those being removed until the controller agrees.
  std::int64_t low = r.log.end_offset();
  for (const FollowerState& f : r.followers) {
    const bool pending = r.alter_in_flight &&
                         std::find(r.pending_isr.begin(), r.pending_isr.end(), f.broker) != r.pending_isr.end();
    if (r.state.in_isr(f.broker) || pending) low = std::min(low, f.log_end_offset);
  }
  if (low > r.high_watermark) {
    r.high_watermark = low;
    if (traced(r)) sim_.event(self_, kTraceHighWatermark, {partition_number(r), low});
    on_high_watermark(r);
  }
  WEIR_ASSERT(r.high_watermark <= r.log.end_offset(), "partition {}: leader's high watermark {} past its log end {}",
              r.index, r.high_watermark, r.log.end_offset());
}

void Broker::on_high_watermark(Replica& r) {
  r.progress.notify_all();
  if (topology_->topic_of(r.index) == topology_->offsets_topic()) materialize_offsets(r);
}

// ---------------------------------------------------------------- the ISR

void Broker::maybe_expand_isr(Replica& r, const FollowerState& f) {
  if (r.alter_in_flight || r.state.in_isr(f.broker)) return;
  if (f.log_end_offset < r.high_watermark || f.log_end_offset < r.leader_epoch_start) return;
  const auto index = topology_->broker_index(f.broker);
  if (!index || !image_.live(*index)) return;  // the controller would refuse a fenced broker
  std::vector<sim::NodeId> isr;
  for (sim::NodeId n : r.state.replicas) {
    if (r.state.in_isr(n) || n == f.broker) isr.push_back(n);
  }
  request_isr_change(r, std::move(isr));
}

void Broker::isr_expiration_loop() {
  const sim::Duration lag_max = options_->replica_lag_time_max;
  for (;;) {
    sim_.sleep(lag_max / 2);
    for (auto& owned : replicas_) {
      Replica* r = owned.get();
      if (r == nullptr || !r->leads(self_) || r->alter_in_flight) continue;
      std::vector<sim::NodeId> isr;
      bool shrink = false;
      for (sim::NodeId n : r->state.isr) {
        const FollowerState* f = n == self_ ? nullptr : r->follower(n);
        if (f != nullptr && sim_.now() - f->last_caught_up > lag_max) {
          shrink = true;
        } else {
          isr.push_back(n);
        }
      }
      if (shrink) request_isr_change(*r, std::move(isr));
    }
  }
}

void Broker::request_isr_change(Replica& r, std::vector<sim::NodeId> isr) {
  r.alter_in_flight = true;
  r.alter_partition_epoch = r.state.partition_epoch;
  r.pending_isr = isr;
  const std::uint64_t serial = ++r.alter_serial;
  AlterPartitionRequest request{r.index, self_, r.state.leader_epoch, r.state.partition_epoch, std::move(isr)};
  Replica* target = &r;
  sim_.spawn(self_, [this, target, serial, request = std::move(request)] {
    send_alter_partition(*target, serial, request);
  });
}

void Broker::send_alter_partition(Replica& r, std::uint64_t serial, const AlterPartitionRequest& request) {
  std::uint64_t digest = sim::hash_combine(request.partition, static_cast<std::uint64_t>(request.partition_epoch));
  for (sim::NodeId n : request.isr) digest = sim::hash_combine(digest, n);
  // Retried until answered, or until a metadata change made it moot.
  while (r.alter_in_flight && r.alter_serial == serial) {
    auto reply = sim_.network().call(
        self_, topology_->controller(),
        sim::Payload{request, 32 + 4 * request.isr.size(), digest, kTrafficMetadata}, controller_timeout());
    if (!reply.ok()) continue;
    learn_partition(r.index, reply.value().state);
    if (r.alter_serial == serial) {
      r.alter_in_flight = false;
      r.pending_isr.clear();
      maybe_advance_high_watermark(r);
    }
    return;
  }
}

}  // namespace weir::models::kafka::classic
