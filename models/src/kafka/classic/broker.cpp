#include "broker.h"

#include <algorithm>
#include <utility>

namespace weir::models::kafka::classic {

Broker::Broker(sim::Simulation& sim, sim::NodeId self, std::shared_ptr<const Topology> topology,
               std::shared_ptr<const ClassicClusterOptions> options)
    : sim_(sim),
      self_(self),
      broker_index_(static_cast<std::uint32_t>(topology->broker_index(self).value())),
      incarnation_(sim.node(self).incarnation() + 1),
      topology_(std::move(topology)),
      options_(std::move(options)),
      metadata_changed_(sim) {
  image_.partitions.resize(topology_->partition_count());
  image_.brokers.resize(topology_->broker_count());
  replicas_.resize(topology_->partition_count());
  for (std::uint32_t i = 0; i < replicas_.size(); ++i) {
    for (sim::NodeId n : topology_->assigned_replicas(i)) {
      if (n == self_) replicas_[i] = std::make_unique<Replica>(sim_, i, options_->segment_bytes);
    }
  }
  offsets_.resize(static_cast<std::size_t>(topology_->topic_partitions(topology_->offsets_topic())));
  sim_.spawn(self_, [this] { main(); });
}

// ---------------------------------------------------------------- lifecycle

void Broker::main() {
  recover_logs();
  sim_.network().listen<MetadataPush>(self_, [this](sim::NodeId, MetadataPush push) { apply_delta(push.delta); });
  // Before the first metadata every request gets a retriable error (nothing
  // is led yet), which beats a silent drop that costs callers a timeout.
  serve();
  register_with_controller();
  serving_ = true;
  sim_.spawn(self_, [this] { flush_loop(); });
  sim_.spawn(self_, [this] { isr_expiration_loop(); });
  if (options_->retention > sim::Duration()) sim_.spawn(self_, [this] { retention_loop(); });
  start_fetchers();
  heartbeat_loop();
}

void Broker::register_with_controller() {
  const RegisterBrokerRequest request{broker_index_, incarnation_};
  for (;;) {
    auto reply = sim_.network().call(
        self_, topology_->controller(),
        sim::Payload{request, 32, sim::hash_combine(broker_index_, incarnation_), kTrafficMetadata},
        controller_timeout());
    if (reply.ok()) {
      apply_delta(reply.value().snapshot);
      return;
    }
  }
}

void Broker::heartbeat_loop() {
  for (;;) {
    const sim::Time start = sim_.now();
    const BrokerHeartbeatRequest request{broker_index_, incarnation_, image_.version};
    auto reply = sim_.network().call(
        self_, topology_->controller(),
        sim::Payload{request, 32, sim::hash_combine(broker_index_, image_.version), kTrafficMetadata},
        options_->broker_heartbeat_interval);
    if (reply.ok() && !reply.value().registered) {
      register_with_controller();
    } else if (reply.ok() && reply.value().snapshot) {
      apply_delta(*reply.value().snapshot);
    }
    sim_.sleep_until(start + options_->broker_heartbeat_interval);
  }
}

void Broker::serve() {
  auto& net = sim_.network();
  net.serve(self_, this, &Broker::handle_produce);
  net.serve(self_, this, &Broker::handle_fetch);
  net.serve(self_, this, &Broker::handle_list_offsets);
  net.serve(self_, this, &Broker::handle_metadata);
  net.serve(self_, this, &Broker::handle_offsets_for_leader_epoch);
  net.serve(self_, this, &Broker::handle_find_coordinator);
  net.serve(self_, this, &Broker::handle_offset_commit);
  net.serve(self_, this, &Broker::handle_offset_fetch);
}

void Broker::start_fetchers() {
  // One fetcher per (source broker, topic) that could ever lead a partition
  // this broker follows: a FetchRequest names a single topic.
  for (std::size_t t = 0; t < topology_->topic_count(); ++t) {
    for (std::size_t b = 0; b < topology_->broker_count(); ++b) {
      const sim::NodeId source = topology_->broker_node(b);
      if (source == self_) continue;
      bool shared = false;
      for (std::int32_t p = 0; p < topology_->topic_partitions(t) && !shared; ++p) {
        const std::uint32_t index = topology_->partition_index(t, p);
        const auto& assigned = topology_->assigned_replicas(index);
        shared = replicas_[index] != nullptr && std::find(assigned.begin(), assigned.end(), source) != assigned.end();
      }
      if (shared) sim_.spawn(self_, [this, source, t] { fetch_loop(source, t); });
    }
  }
}

// ---------------------------------------------------------------- metadata

void Broker::apply_delta(const MetadataDelta& delta) {
  for (const auto& [index, state] : delta.partitions) learn_partition(index, state);
  for (const auto& [index, registration] : delta.brokers) image_.accept(index, registration);
  image_.advance_version(delta);
  metadata_changed_.notify_all();
}

void Broker::learn_partition(std::uint32_t index, const PartitionState& state) {
  if (!image_.accept(index, state)) return;
  if (Replica* r = replicas_[index].get()) apply_partition(*r, state);
}

void Broker::apply_partition(Replica& r, const PartitionState& next) {
  const bool was_leader = r.leads(self_);
  const std::int32_t old_epoch = r.state.leader_epoch;
  r.state = next;
  if (r.leads(self_) && (!was_leader || old_epoch != next.leader_epoch)) {
    become_leader(r);
  } else if (!r.leads(self_) && (was_leader || old_epoch != next.leader_epoch)) {
    become_follower(r);
  } else if (r.leads(self_)) {
    // Only the ISR changed: an answer to our AlterPartition or a fencing.
    if (r.alter_in_flight && next.partition_epoch > r.alter_partition_epoch) {
      r.alter_in_flight = false;
      r.pending_isr.clear();
    }
    maybe_advance_high_watermark(r);
  }
  r.progress.notify_all();
}

void Broker::become_leader(Replica& r) {
  r.log.assign_epoch(r.state.leader_epoch, r.log.end_offset());
  r.leader_epoch_start = r.log.end_offset();
  r.followers.clear();
  for (sim::NodeId n : r.state.replicas) {
    if (n == self_) continue;
    FollowerState f;
    f.broker = n;
    f.last_caught_up = r.state.in_isr(n) ? sim_.now() : sim::Time::zero();
    r.followers.push_back(f);
  }
  r.alter_in_flight = false;
  r.pending_isr.clear();
  r.needs_truncation = false;
  if (topology_->topic_of(r.index) == topology_->offsets_topic()) reset_offsets_cache(r);
  maybe_advance_high_watermark(r);
}

void Broker::become_follower(Replica& r) {
  r.followers.clear();
  r.alter_in_flight = false;
  r.pending_isr.clear();
  r.needs_truncation = true;
  r.fetch_backoff_until = sim::Time::zero();
  if (topology_->topic_of(r.index) == topology_->offsets_topic()) {
    offsets_[static_cast<std::size_t>(topology_->partition_of(r.index))] = OffsetsCache{};
  }
}

}  // namespace weir::models::kafka::classic
