#include "controller.h"

#include <algorithm>

#include "election.h"
#include "weir/models/kafka/classic/trace_kinds.h"
#include "weir/sim/assert.h"
#include "weir/sim/future.h"

namespace weir::models::kafka::classic {
namespace {

const std::string kMetadataLogPath = "metadata.log";
constexpr auto kDiskRetryPause = sim::Duration::milliseconds(10);

}  // namespace

Controller::Controller(sim::Simulation& sim, sim::NodeId self, std::shared_ptr<const Topology> topology,
                       std::shared_ptr<const ClassicClusterOptions> options)
    : sim_(sim),
      self_(self),
      topology_(std::move(topology)),
      options_(std::move(options)),
      last_contact_(topology_->broker_count()),
      fence_queued_(topology_->broker_count(), false),
      unfence_queued_(topology_->broker_count(), false),
      commands_(sim) {
  image_.partitions.resize(topology_->partition_count());
  image_.brokers.resize(topology_->broker_count());
  sim_.spawn(self_, [this] { main(); });
}

void Controller::main() {
  load();
  // A new controller gives every broker a full session, as KRaft does.
  std::fill(last_contact_.begin(), last_contact_.end(), sim_.now());
  loaded_ = true;
  serve();
  sim_.spawn(self_, [this] { fence_checker(); });
  for (;;) {
    std::optional<Command> command = commands_.recv();
    if (!command) return;
    (*command)();
  }
}

void Controller::load() {
  sim::Disk& disk = sim_.node(self_).disk();
  const std::vector<std::string> files = disk.list(kMetadataLogPath);
  if (!files.empty()) {
    const std::string log = disk.read(kMetadataLogPath).value_or(std::string());
    std::size_t position = 0;
    while (auto delta = decode_delta(log, &position)) apply(*delta);
    if (position < log.size()) {
      disk.truncate(kMetadataLogPath, position);  // a torn tail was never committed
      disk.fsync(kMetadataLogPath);
    }
  }
  if (image_.version == 0) commit(initial_metadata());
}

MetadataDelta Controller::initial_metadata() const {
  MetadataDelta delta;
  for (std::uint32_t i = 0; i < topology_->partition_count(); ++i) {
    PartitionState s;
    s.replicas = topology_->assigned_replicas(i);
    s.isr = s.replicas;
    s.leader = s.replicas.front();
    s.leader_epoch = 0;
    s.partition_epoch = 0;
    delta.partitions.emplace_back(i, std::move(s));
  }
  for (std::uint32_t b = 0; b < topology_->broker_count(); ++b) {
    delta.brokers.emplace_back(b, BrokerRegistration{0, false, 1});
  }
  return delta;
}

void Controller::serve() {
  auto& net = sim_.network();
  net.serve(self_, this, &Controller::on_register);
  net.serve(self_, this, &Controller::on_heartbeat);
  net.serve(self_, this, &Controller::on_alter_partition);
}

// ---------------------------------------------------------------- liveness

void Controller::fence_checker() {
  const sim::Duration timeout = options_->broker_session_timeout;
  for (;;) {
    sim::Time next = sim_.now() + timeout;
    for (std::size_t b = 0; b < last_contact_.size(); ++b) {
      if (image_.brokers[b].fenced || fence_queued_[b]) continue;
      const sim::Time expiry = last_contact_[b] + timeout;
      if (expiry <= sim_.now()) {
        fence_queued_[b] = true;
        commands_.try_send([this, b] { fence(b); });
      } else {
        next = std::min(next, expiry);
      }
    }
    sim_.sleep_until(next);
  }
}

void Controller::fence(std::size_t broker) {
  fence_queued_[broker] = false;
  if (image_.brokers[broker].fenced || sim_.now() < last_contact_[broker] + options_->broker_session_timeout) return;
  MetadataDelta delta;
  BrokerRegistration registration = image_.brokers[broker];
  registration.fenced = true;
  registration.changed_at = image_.version + 1;
  delta.brokers.emplace_back(static_cast<std::uint32_t>(broker), registration);
  reconcile_all(delta, [this, broker](std::size_t b) { return b != broker && image_.live(b); });
  commit(std::move(delta));
}

void Controller::unfence(std::size_t broker, std::uint64_t incarnation) {
  unfence_queued_[broker] = false;
  const BrokerRegistration& current = image_.brokers[broker];
  if (current.incarnation != incarnation || !current.fenced) return;
  MetadataDelta delta;
  delta.brokers.emplace_back(static_cast<std::uint32_t>(broker),
                             BrokerRegistration{incarnation, false, image_.version + 1});
  reconcile_all(delta, [this, broker](std::size_t b) { return b == broker || image_.live(b); });
  commit(std::move(delta));
}

void Controller::register_broker(const RegisterBrokerRequest& request) {
  const std::size_t broker = request.broker;
  const BrokerRegistration current = image_.brokers[broker];
  last_contact_[broker] = sim_.now();
  if (current.incarnation == request.incarnation) return;  // a retried registration
  MetadataDelta delta;
  // Incarnation 1 is a broker's first boot. A later one whose predecessor
  // never registered (it died first) is still a restart: that predecessor may
  // have led and acknowledged records that this one no longer holds.
  const bool restarted = current.incarnation != 0 || request.incarnation > 1;
  const bool previous_alive = restarted && !current.fenced;
  if (previous_alive) {
    // The old incarnation's memory is gone: it must lead nothing and leave
    // every ISR before the new one is told anything.
    reconcile_all(delta, [this, broker](std::size_t b) { return b != broker && image_.live(b); });
  }
  // A first registration keeps the broker's initial liveness; a restart
  // starts fenced and is unfenced once its metadata has caught up.
  const bool fenced = restarted || current.fenced;
  delta.brokers.emplace_back(static_cast<std::uint32_t>(broker),
                             BrokerRegistration{request.incarnation, fenced, image_.version + 1});
  commit(std::move(delta));
}

void Controller::reconcile_all(MetadataDelta& delta, const std::function<bool(std::size_t)>& live) const {
  const LiveFn live_node = [this, &live](sim::NodeId node) {
    const auto index = topology_->broker_index(node);
    return index && live(*index);
  };
  for (std::uint32_t i = 0; i < image_.partitions.size(); ++i) {
    if (auto next = reconcile(image_.partitions[i], live_node, options_->unclean_leader_election)) {
      delta.partitions.emplace_back(i, std::move(*next));
    }
  }
}

// ---------------------------------------------------------------- requests

template <class T>
T Controller::run_command(std::function<T()> fn) {
  sim::Promise<T> done(sim_);
  commands_.send([done, fn = std::move(fn)]() mutable { done.set(fn()); });
  return done.future().get();
}

sim::Payload<RegisterBrokerResponse> Controller::on_register(const RegisterBrokerRequest& request) {
  if (request.broker >= image_.brokers.size()) return sim::Payload{RegisterBrokerResponse{}, 16, 0, kTrafficMetadata};
  RegisterBrokerResponse response = run_command<RegisterBrokerResponse>([this, request] {
    register_broker(request);
    return RegisterBrokerResponse{image_.snapshot()};
  });
  const std::uint64_t bytes = response.snapshot.wire_bytes();
  const std::uint64_t digest = response.snapshot.digest();
  return sim::Payload{std::move(response), bytes, digest, kTrafficMetadata};
}

sim::Payload<BrokerHeartbeatResponse> Controller::on_heartbeat(const BrokerHeartbeatRequest& request) {
  BrokerHeartbeatResponse response;
  const std::size_t broker = request.broker;
  if (broker >= image_.brokers.size() || image_.brokers[broker].incarnation != request.incarnation) {
    response.registered = false;
    return sim::Payload{std::move(response), 16, 1, kTrafficMetadata};
  }
  last_contact_[broker] = sim_.now();
  const bool caught_up = request.metadata_version >= image_.version;
  if (image_.brokers[broker].fenced && caught_up && !unfence_queued_[broker]) {
    unfence_queued_[broker] = true;
    const std::uint64_t incarnation = request.incarnation;
    commands_.try_send([this, broker, incarnation] { unfence(broker, incarnation); });
  }
  if (!caught_up) response.snapshot = image_.snapshot();
  const std::uint64_t bytes = 16 + (response.snapshot ? response.snapshot->wire_bytes() : 0);
  const std::uint64_t digest = response.snapshot ? response.snapshot->digest() : image_.version;
  return sim::Payload{std::move(response), bytes, digest, kTrafficMetadata};
}

sim::Payload<AlterPartitionResponse> Controller::on_alter_partition(const AlterPartitionRequest& request) {
  AlterPartitionResponse response;
  if (request.partition < image_.partitions.size()) {
    response = run_command<AlterPartitionResponse>([this, request] { return alter_partition(request); });
  }
  const std::uint64_t digest = sim::hash_combine(response.accepted ? 1 : 0,
                                                 static_cast<std::uint64_t>(response.state.partition_epoch));
  return sim::Payload{std::move(response), 64, digest, kTrafficMetadata};
}

AlterPartitionResponse Controller::alter_partition(const AlterPartitionRequest& request) {
  const PartitionState& current = image_.partitions[request.partition];
  AlterPartitionResponse response{false, current};
  if (current.leader != request.leader || current.leader_epoch != request.leader_epoch ||
      current.partition_epoch != request.partition_epoch) {
    return response;  // the leader acted on stale state
  }
  PartitionState next = current;
  next.isr.clear();
  for (sim::NodeId n : current.replicas) {
    if (std::find(request.isr.begin(), request.isr.end(), n) == request.isr.end()) continue;
    const auto index = topology_->broker_index(n);
    // Fenced brokers may not join (KIP-841); the leader must stay.
    if (!current.in_isr(n) && !(index && image_.live(*index))) return response;
    next.isr.push_back(n);
  }
  if (!next.in_isr(current.leader) || next.isr.size() != request.isr.size()) return response;
  if (next.isr != current.isr) {
    ++next.partition_epoch;
    MetadataDelta delta;
    delta.partitions.emplace_back(request.partition, next);
    commit(std::move(delta));
  }
  return AlterPartitionResponse{true, image_.partitions[request.partition]};
}

// ---------------------------------------------------------------- commits

namespace {

// What every partition state the controller commits must satisfy, given the
// one it replaces: KRaft's rules for the ISR, the leader and the epochs.
void check_committed_state(std::uint32_t index, const PartitionState& before, const PartitionState& next) {
  WEIR_ASSERT(!next.isr.empty(), "partition {}: an empty ISR is committed", index);
  for (auto n = next.isr.begin(); n != next.isr.end(); ++n) {
    WEIR_ASSERT(next.is_replica(*n), "partition {}: ISR member {} is not an assigned replica", index, *n);
    WEIR_ASSERT(std::find(std::next(n), next.isr.end(), *n) == next.isr.end(), "partition {}: {} twice in the ISR",
                index, *n);
  }
  WEIR_ASSERT(!next.has_leader() || next.in_isr(next.leader), "partition {}: leader {} is not in the ISR", index,
              next.leader);
  WEIR_ASSERT(next.leader_epoch >= before.leader_epoch, "partition {}: leader epoch {} goes back to {}", index,
              before.leader_epoch, next.leader_epoch);
  WEIR_ASSERT(next.partition_epoch > before.partition_epoch || next == before,
              "partition {}: changed with partition epoch {} after {}", index, next.partition_epoch,
              before.partition_epoch);
}

}  // namespace

void Controller::commit(MetadataDelta delta) {
  if (delta.empty()) return;
  for (const auto& [index, next] : delta.partitions) check_committed_state(index, image_.partitions[index], next);
  delta.base_version = image_.version;
  delta.version = image_.version + 1;
  std::string bytes;
  encode_delta(delta, bytes);
  sim::Disk& disk = sim_.node(self_).disk();
  while (disk.append(kMetadataLogPath, bytes) != sim::DiskStatus::ok) sim_.sleep(kDiskRetryPause);
  while (disk.fsync(kMetadataLogPath) != sim::DiskStatus::ok) sim_.sleep(kDiskRetryPause);
  trace_changes(delta);
  apply(delta);
  push(delta);
}

void Controller::apply(const MetadataDelta& delta) {
  for (const auto& [index, state] : delta.partitions) image_.accept(index, state);
  for (const auto& [index, registration] : delta.brokers) image_.accept(index, registration);
  image_.version = delta.version;
}

void Controller::trace_changes(const MetadataDelta& delta) {
  for (const auto& [index, next] : delta.partitions) {
    // The user topic's partitions only: __consumer_offsets' numbers collide with them.
    if (topology_->is_internal(topology_->topic_of(index))) continue;
    const std::int32_t partition = topology_->partition_of(index);
    const PartitionState& before = image_.partitions[index];
    if (next.leader != before.leader || next.leader_epoch != before.leader_epoch) {
      // Unclean: the new leader was not in the ISR it was elected from.
      const bool unclean = next.has_leader() && !before.isr.empty() && !before.in_isr(next.leader);
      const std::int64_t leader = next.has_leader() ? static_cast<std::int64_t>(next.leader) : -1;
      sim_.event(self_, kTraceLeaderElected, {partition, leader, next.leader_epoch, unclean});
    }
    if (next.isr != before.isr) {
      isr_fields_.clear();
      isr_fields_.emplace_back(partition);
      for (sim::NodeId n : next.isr) isr_fields_.emplace_back(n);
      sim_.event(self_, kTraceIsrChanged, std::span<const sim::TraceField>(isr_fields_));
    }
  }
  for (const auto& [index, next] : delta.brokers) {
    if (next.fenced != image_.brokers[index].fenced) {
      sim_.event(self_, next.fenced ? kTraceBrokerFenced : kTraceBrokerUnfenced, {topology_->broker_node(index)});
    }
  }
}

void Controller::push(const MetadataDelta& delta) {
  for (std::size_t b = 0; b < topology_->broker_count(); ++b) {
    sim_.network().send(self_, topology_->broker_node(b),
                        sim::Payload{MetadataPush{delta}, delta.wire_bytes(), delta.digest(), kTrafficMetadata});
  }
}

}  // namespace weir::models::kafka::classic
