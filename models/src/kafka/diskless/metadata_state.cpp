#include "weir/models/kafka/diskless/metadata_state.h"

#include <algorithm>
#include <stdexcept>

#include "weir/sim/assert.h"

namespace weir::models::kafka::diskless {

MetadataState::MetadataState(const std::vector<TopicSpec>& topics) {
  for (const TopicSpec& topic : topics) {
    for (std::int32_t p = 0; p < topic.partitions; ++p) partitions_[TopicPartition{topic.name, p}];
  }
}

std::vector<std::int64_t> MetadataState::commit(const std::string& commit_id, const std::vector<CommitBatch>& batches) {
  const auto done = commits_.find(commit_id);
  if (done != commits_.end()) return done->second;
  std::vector<std::int64_t> bases;
  for (const CommitBatch& batch : batches) {
    const TopicPartition tp{batch.topic, batch.partition};
    PartitionLog& log = partitions_.at(tp);
    // Offsets are dense: each batch starts where the one before ended, so no
    // offset is ever given to two records (or to none).
    WEIR_ASSERT(batch.record_count > 0, "{}-{}: a committed batch of {} records", tp.topic, tp.partition,
                batch.record_count);
    WEIR_ASSERT(log.batches.empty() || log.batches.back().base_offset + log.batches.back().record_count == log.next_offset,
                "{}-{}: the next offset {} is not where the last batch ends", tp.topic, tp.partition, log.next_offset);
    bases.push_back(log.next_offset);
    if (batch.location.in_wal()) wal_refs_[batch.location.object_key].emplace_back(tp, log.batches.size());
    log.batches.push_back(BatchRef{log.next_offset, batch.record_count, batch.location});
    log.next_offset += batch.record_count;
  }
  commits_.emplace(commit_id, bases);
  ++commit_count_;
  return bases;
}

void MetadataState::relocate(const std::vector<Relocation>& moves) {
  for (const Relocation& move : moves) {
    const auto refs = wal_refs_.find(move.wal_entry_id);
    if (refs == wal_refs_.end()) continue;  // unknown, or moved already
    for (const auto& [tp, index] : refs->second) {
      BatchLocation& location = partitions_.at(tp).batches[index].location;
      location.object_key = move.object_key;
      location.byte_offset += move.byte_base;
      location.wal_agent = sim::kNoNode;
    }
    wal_refs_.erase(refs);
  }
}

std::int64_t MetadataState::next_offset(const TopicPartition& tp) const {
  const auto it = partitions_.find(tp);
  return it == partitions_.end() ? -1 : it->second.next_offset;
}

std::vector<BatchRef> MetadataState::batches_from(const TopicPartition& tp, std::int64_t offset,
                                                  std::uint64_t max_bytes) const {
  std::vector<BatchRef> out;
  const auto it = partitions_.find(tp);
  if (it == partitions_.end()) return out;
  const std::vector<BatchRef>& batches = it->second.batches;
  // The first batch whose range ends after `offset`.
  auto first = std::upper_bound(batches.begin(), batches.end(), offset,
                                [](std::int64_t o, const BatchRef& b) { return o < b.base_offset + b.record_count; });
  std::uint64_t bytes = 0;
  for (; first != batches.end(); ++first) {
    if (!out.empty() && bytes + first->location.byte_length > max_bytes) break;
    bytes += first->location.byte_length;
    out.push_back(*first);
  }
  return out;
}

const std::vector<BatchRef>& MetadataState::log(const TopicPartition& tp) const { return partitions_.at(tp).batches; }

void MetadataState::commit_group_offset(const std::string& group, const TopicPartition& tp, std::int64_t offset) {
  group_offsets_[{group, tp}] = offset;
}

std::int64_t MetadataState::group_offset(const std::string& group, const TopicPartition& tp) const {
  const auto it = group_offsets_.find({group, tp});
  return it == group_offsets_.end() ? -1 : it->second;
}

void MetadataState::heartbeat(sim::NodeId agent, const std::string& zone, sim::Time now) {
  agents_[agent] = Registered{zone, now};
}

std::vector<AgentInfo> MetadataState::live_agents(sim::Time now, sim::Duration timeout) const {
  std::vector<AgentInfo> out;
  for (const auto& [node, agent] : agents_) {
    if (now - agent.last_heartbeat <= timeout) out.push_back(AgentInfo{node, agent.zone});
  }
  return out;
}

}  // namespace weir::models::kafka::diskless
