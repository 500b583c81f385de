#include "weir/models/mimir/partition_ring_kv.h"

#include <stdexcept>

namespace weir::models::mimir {

struct PartitionRingKv::State {
  State(sim::Simulation& s, PartitionRingKvOptions o, PartitionTokenTable tokens)
      : sim(s), options(o), ring(o.ring, std::move(tokens)) {}

  std::vector<PartitionId> reconcile() {
    std::vector<PartitionId> activated = ring.reconcile(sim.now());
    if (!activated.empty()) ++version;
    for (PartitionId id : activated) sim.event(sim::kNoNode, kTracePartitionActivated, {id});
    return activated;
  }

  sim::Simulation& sim;
  PartitionRingKvOptions options;
  PartitionRing ring;
  std::uint64_t version = 1;
  std::uint64_t reconciler_generation = 0;
  bool reconciler_running = false;
};

std::optional<std::string> PartitionRingKvOptions::validate() const {
  if (reconcile_interval.ns() <= 0) return "reconcile_interval must be positive";
  return ring.validate();
}

PartitionRingKv::PartitionRingKv(sim::Simulation& sim, PartitionRingKvOptions options, PartitionTokenTable tokens) {
  if (auto error = options.validate()) throw std::invalid_argument("PartitionRingKvOptions: " + *error);
  state_ = std::make_shared<State>(sim, options, std::move(tokens));
}

PartitionRingKv::~PartitionRingKv() { stop_reconciler(); }

void PartitionRingKv::add_active_partitions(PartitionId count) {
  state_->ring.add_partitions(count, PartitionState::active, state_->sim.now());
  ++state_->version;
}

void PartitionRingKv::register_owner(std::string_view owner, PartitionId partition) {
  const sim::Time now = state_->sim.now();
  state_->ring.add_partition(partition, now);  // no-op when it exists
  state_->ring.add_owner(owner, partition, now);
  ++state_->version;
}

bool PartitionRingKv::remove_owner(std::string_view owner) {
  if (!state_->ring.remove_owner(owner)) return false;
  ++state_->version;
  return true;
}

bool PartitionRingKv::set_state(PartitionId partition, PartitionState state) {
  if (!state_->ring.set_state(partition, state, state_->sim.now())) return false;
  ++state_->version;
  return true;
}

std::vector<PartitionId> PartitionRingKv::reconcile() { return state_->reconcile(); }

void PartitionRingKv::start_reconciler() {
  if (state_->reconciler_running) return;
  state_->reconciler_running = true;
  const std::uint64_t generation = ++state_->reconciler_generation;
  std::shared_ptr<State> state = state_;
  state->sim.spawn(sim::kNoNode, [state, generation] {
    while (state->reconciler_running && state->reconciler_generation == generation) {
      state->reconcile();
      state->sim.sleep(state->options.reconcile_interval);
    }
  });
}

void PartitionRingKv::stop_reconciler() { state_->reconciler_running = false; }

const PartitionRing& PartitionRingKv::ring() const { return state_->ring; }

std::uint64_t PartitionRingKv::version() const { return state_->version; }

}  // namespace weir::models::mimir
