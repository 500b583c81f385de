#include "weir/models/mimir/last_produced_offsets.h"

#include <memory>

#include <fmt/format.h>

#include "weir/sim/channel.h"

namespace weir::models::mimir {

LastProducedOffsets::LastProducedOffsets(sim::Simulation& sim, kafka::Consumer& consumer, std::string topic,
                                         std::vector<properties::PartitionId> partitions,
                                         sim::Duration poll_interval)
    : sim_(sim),
      consumer_(consumer),
      topic_(std::move(topic)),
      partitions_(std::move(partitions)),
      poll_interval_(poll_interval),
      next_(sim) {}

void LastProducedOffsets::run() {
  for (;;) {
    const sim::Time started = sim_.now();
    sim::Promise<PartitionOffsets> promise = next_;
    next_ = sim::Promise<PartitionOffsets>(sim_);
    PartitionOffsets result = poll();
    last_ = result;
    ++polls_;
    promise.set(std::move(result));
    if (sim_.now() < started + poll_interval_) sim_.sleep_until(started + poll_interval_);
  }
}

std::optional<PartitionOffsets> LastProducedOffsets::wait_next(sim::Time deadline) {
  sim::Future<PartitionOffsets> next = next_.future();
  return next.get_until(deadline);
}

PartitionOffsets LastProducedOffsets::poll() {
  PartitionOffsets result;
  result.requested_at = sim_.now();
  auto answers = std::make_shared<std::vector<kafka::OffsetResult>>(partitions_.size());
  sim::Channel<int> done(sim_);
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    sim_.spawn(consumer_.node(), [&consumer = consumer_, tp = kafka::TopicPartition{topic_, partitions_[i]}, answers,
                                  done, i]() mutable {
      (*answers)[i] = consumer.list_offsets(tp, kafka::kLatestTimestamp);
      done.send(1);
    });
  }
  for (std::size_t i = 0; i < partitions_.size(); ++i) done.recv();
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    const kafka::OffsetResult& answer = (*answers)[i];
    if (!answer.ok()) {
      result.error = fmt::format("partition {}: {}", partitions_[i], kafka::to_string(answer.error));
      result.last_produced.clear();
      return result;
    }
    result.last_produced[partitions_[i]] = answer.offset - 1;
  }
  return result;
}

}  // namespace weir::models::mimir
