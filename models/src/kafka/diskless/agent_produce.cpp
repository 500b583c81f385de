// The agent's produce path: buffer, upload one object, commit, acknowledge.
#include <algorithm>

#include "agent.h"
#include "weir/sim/assert.h"
#include "weir/sim/hash.h"

namespace weir::models::kafka::diskless {

sim::Payload<ProduceResponse> Agent::handle_produce(const ProduceRequest& request) {
  ProduceResponse response;
  std::vector<std::pair<std::size_t, sim::Future<BatchOutcome>>> waits;
  for (const ProducePartitionData& data : request.partitions) {
    ProducePartitionResponse answer{data.partition, ErrorCode::none, -1};
    if (!knows({request.topic, data.partition})) {
      answer.error = ErrorCode::unknown_topic_or_partition;
    } else if (!data.records.empty()) {
      waits.emplace_back(response.partitions.size(), enqueue(request.topic, data));
    }
    response.partitions.push_back(answer);
  }
  const sim::Time deadline = sim_.now() + request.timeout;
  for (auto& [index, future] : waits) {
    const std::optional<BatchOutcome> outcome = future.get_until(deadline);
    ProducePartitionResponse& answer = response.partitions[index];
    answer.error = outcome ? outcome->error : ErrorCode::request_timed_out;
    answer.base_offset = outcome && outcome->error == ErrorCode::none ? outcome->base_offset : -1;
  }
  std::uint64_t digest = 0;
  for (const auto& p : response.partitions) digest = sim::hash_combine(digest, static_cast<std::uint64_t>(p.base_offset));
  const std::uint64_t bytes = kControlBytes + 16 * response.partitions.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficProduce};
}

sim::Future<Agent::BatchOutcome> Agent::enqueue(const std::string& topic, const ProducePartitionData& data) {
  std::uint64_t bytes = 0;
  for (const Record& r : data.records) bytes += r.wire_bytes();
  auto batch = std::make_shared<PendingBatch>(sim_, TopicPartition{topic, data.partition}, data.records, bytes);
  sim::Future<BatchOutcome> outcome = batch->done.future();
  const bool was_empty = buffer_.empty();
  buffer_.push_back(std::move(batch));
  buffer_bytes_ += bytes;
  if (buffer_bytes_ >= options_.batch_max_bytes) {
    flush();
  } else if (was_empty) {
    // The buffer's timer starts with its first batch.
    const std::uint64_t generation = buffer_generation_;
    const sim::Duration wait = options_.automq_wal_mode ? options_.wal_flush_interval : options_.batch_timeout;
    sim_.spawn(node_, [this, generation, wait] {
      sim_.sleep(wait);
      if (buffer_generation_ == generation) flush();
    });
  }
  return outcome;
}

void Agent::flush() {
  if (buffer_.empty()) return;
  Batches batches = std::move(buffer_);
  buffer_.clear();
  buffer_bytes_ = 0;
  ++buffer_generation_;
  sim_.spawn(node_, [this, batches = std::move(batches)] {
    if (options_.automq_wal_mode) {
      write_wal_and_sequence(batches);
    } else {
      upload_and_commit(batches);
    }
  });
}

void Agent::upload_and_commit(const Batches& batches) {
  const std::string key = next_name("objects");
  auto data = std::make_shared<std::string>();
  std::vector<CommitBatch> commits;
  for (const auto& b : batches) {
    const std::string encoded = encode_records(b->records);
    const BatchLocation location{key, data->size(), encoded.size(), sim::kNoNode};
    commits.push_back(CommitBatch{b->tp.topic, b->tp.partition, static_cast<std::int32_t>(b->records.size()), location});
    data->append(encoded);
  }
  if (!put_object(key, data)) {
    fail(batches, ErrorCode::kafka_storage_error);  // nothing committed: the object, if any, is garbage
    return;
  }
  sim_.event(node_, kTraceAgentFlush, {std::string_view(key), data->size()});
  if (options_.ack_before_commit) ack_with_guesses(batches);
  const std::optional<std::vector<std::int64_t>> bases = commit(key, commits);
  if (!bases) {
    fail(batches, ErrorCode::request_timed_out);  // ambiguous: the commit may have been applied
    return;
  }
  // Paired with MetadataState::commit: one base offset per batch committed.
  WEIR_ASSERT(bases->size() == batches.size(), "commit {}: {} base offsets for {} batches", key, bases->size(),
              batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    std::int64_t& guess = guessed_next_[batches[i]->tp];
    guess = std::max(guess, (*bases)[i] + static_cast<std::int64_t>(batches[i]->records.size()));
  }
  ack(batches, *bases);
}

bool Agent::put_object(const std::string& key, std::shared_ptr<const std::string> data) {
  for (std::uint32_t attempt = 1;; ++attempt) {
    const objstore::PutResult result = store_.put_shared(key, data);
    if (result.ok()) return true;
    if (!objstore::is_retriable(result.status) || attempt >= options_.object_store_attempts) return false;
    backoff(attempt);
  }
}

std::optional<std::vector<std::int64_t>> Agent::commit(const std::string& commit_id,
                                                       const std::vector<CommitBatch>& batches) {
  const std::uint64_t bytes = kControlBytes + kBatchRefBytes * batches.size();
  for (std::uint32_t attempt = 1;; ++attempt) {
    // Retrying is safe: the metadata service applies a commit id once.
    auto reply = call_metadata(CommitRequest{commit_id, batches}, bytes,
                                               options_.metadata_timeout);
    if (reply && reply->error == ErrorCode::none) return std::move(reply->base_offsets);
    if (reply || attempt >= options_.metadata_attempts) return std::nullopt;
    backoff(attempt);
  }
}

// ack_before_commit: each batch gets the offset this agent expects the
// partition to give it, from what it last saw committed plus what it has
// acknowledged since. Other agents appending to the same partition, or a
// crash before the commit, make the guess wrong.
void Agent::ack_with_guesses(const Batches& batches) {
  for (const auto& b : batches) {
    std::int64_t& guess = guessed_next_[b->tp];
    b->done.set(BatchOutcome{ErrorCode::none, guess});
    sim_.event(node_, kTraceAgentAckUnknownOffset, {b->tp.partition});
    guess += static_cast<std::int64_t>(b->records.size());
  }
}

void Agent::ack(const Batches& batches, const std::vector<std::int64_t>& bases) {
  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (batches[i]->done.is_set()) continue;
    batches[i]->done.set(BatchOutcome{ErrorCode::none, bases[i]});
    const std::int64_t records = static_cast<std::int64_t>(batches[i]->records.size());
    sim_.event(node_, kTraceAgentAck, {records, batches[i]->tp.partition, bases[i], bases[i] + records - 1});
  }
}

void Agent::fail(const Batches& batches, ErrorCode error) {
  for (const auto& b : batches) b->done.set(BatchOutcome{error, -1});
}

}  // namespace weir::models::kafka::diskless
