#include "weir/models/kafka/client/producer.h"

#include "producer_core.h"

namespace weir::models::kafka {

const char* to_string(ProduceStatus status) {
  switch (status) {
    case ProduceStatus::ok: return "ok";
    case ProduceStatus::delivery_timeout: return "delivery_timeout";
    case ProduceStatus::record_too_large: return "record_too_large";
    case ProduceStatus::rejected: return "rejected";
  }
  return "unknown";
}

Producer::Producer(sim::Simulation& sim, sim::NodeId node, std::vector<sim::NodeId> bootstrap,
                   ProducerOptions options)
    : core_(std::make_shared<ProducerCore>(sim, node, std::move(options))) {
  core_->start(std::move(bootstrap));
}

Producer::~Producer() { core_->close(); }

sim::Future<ProduceResult> Producer::produce(std::string topic, std::int32_t partition, Record record) {
  return core_->produce(TopicPartition{std::move(topic), partition}, std::move(record));
}

void Producer::flush() {
  // The calling fiber holds the core, in case the Producer goes away meanwhile.
  std::shared_ptr<ProducerCore> core = core_;
  core->flush();
}

ProducerStats Producer::stats() const { return core_->stats(); }

sim::NodeId Producer::node() const { return core_->node(); }

}  // namespace weir::models::kafka
