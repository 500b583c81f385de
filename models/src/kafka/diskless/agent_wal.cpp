// The agent's AutoMQ-like WAL mode: write the batch to a WAL on the node's
// disk, have it sequenced, acknowledge; upload and relocate later; recover
// the WAL after a restart.
#include <fmt/format.h>

#include "agent.h"
#include "weir/sim/hash.h"

namespace weir::models::kafka::diskless {
namespace {

std::string wal_path(const std::string& entry_id) { return fmt::format("wal/{}", entry_id); }

}  // namespace

void Agent::write_wal_and_sequence(const Batches& batches) {
  WalEntry entry;
  entry.id = next_name("wal");
  for (const auto& b : batches) {
    const std::string encoded = encode_records(b->records);
    entry.batches.push_back(WalBatch{b->tp.topic, b->tp.partition, static_cast<std::int32_t>(b->records.size()),
                                     entry.body.size(), encoded.size()});
    entry.body.append(encoded);
  }
  const std::string id = entry.id;
  sim::Disk& disk = sim_.node(node_).disk();
  const std::string path = wal_path(id);
  if (disk.append(path, encode_wal_entry(entry)) != sim::DiskStatus::ok ||
      disk.fsync(path) != sim::DiskStatus::ok) {
    disk.remove(path);
    fail(batches, ErrorCode::kafka_storage_error);
    return;
  }
  sim_.event(node_, kTraceAgentWal, {std::string_view(id), entry.body.size()});
  wal_.emplace(id, WalState{std::move(entry), false});
  const std::optional<std::vector<std::int64_t>> bases = sequence(id);
  if (!bases) {
    // Durable in the WAL but not sequenced: the uploader retries, so the
    // records may still appear. To the client this is an ambiguous timeout.
    fail(batches, ErrorCode::request_timed_out);
    return;
  }
  ack(batches, *bases);
}

std::optional<std::vector<std::int64_t>> Agent::sequence(const std::string& entry_id) {
  auto it = wal_.find(entry_id);
  if (it == wal_.end()) return std::nullopt;
  std::vector<CommitBatch> commits;
  for (const WalBatch& b : it->second.entry.batches) {
    commits.push_back(CommitBatch{b.topic, b.partition, b.record_count,
                                  BatchLocation{entry_id, b.byte_offset, b.byte_length, node_}});
  }
  std::optional<std::vector<std::int64_t>> bases = commit(entry_id, commits);
  it = wal_.find(entry_id);  // the wait may have let the uploader move it
  if (bases && it != wal_.end()) it->second.sequenced = true;
  return bases;
}

void Agent::upload_loop() {
  for (;;) {
    sim_.sleep(options_.batch_timeout);
    upload_wal_entries();
  }
}

void Agent::upload_wal_entries() {
  std::vector<std::string> ids;
  for (const auto& [id, wal] : wal_) ids.push_back(id);
  if (ids.empty()) return;
  const std::string key = next_name("objects");
  auto data = std::make_shared<std::string>();
  std::vector<Relocation> moves;
  for (const std::string& id : ids) {
    if (data->size() >= options_.batch_max_bytes) break;
    auto it = wal_.find(id);
    if (it == wal_.end()) continue;
    if (!it->second.sequenced && !sequence(id)) continue;
    it = wal_.find(id);
    if (it == wal_.end()) continue;
    moves.push_back(Relocation{id, key, data->size()});
    data->append(it->second.entry.body);
  }
  if (moves.empty() || !put_object(key, data)) return;
  sim_.event(node_, kTraceAgentFlush, {std::string_view(key), data->size()});
  const std::uint64_t bytes = kControlBytes + kBatchRefBytes * moves.size();
  bool relocated = false;
  for (std::uint32_t attempt = 1; !relocated && attempt <= options_.metadata_attempts; ++attempt) {
    if (attempt > 1) backoff(attempt - 1);
    relocated = call_metadata(RelocateRequest{moves}, bytes,
                                                options_.metadata_timeout)
                    .has_value();
  }
  if (!relocated) return;  // the object is garbage; the entries go in a later object
  sim::Disk& disk = sim_.node(node_).disk();
  for (const Relocation& move : moves) {
    wal_.erase(move.wal_entry_id);
    disk.remove(wal_path(move.wal_entry_id));
  }
}

void Agent::recover_wal() {
  sim::Disk& disk = sim_.node(node_).disk();
  for (const std::string& path : disk.list("wal/")) {
    const std::optional<std::string> bytes = disk.read(path);
    std::optional<WalEntry> entry = bytes ? decode_wal_entry(*bytes) : std::nullopt;
    if (!entry) {
      disk.remove(path);  // a torn write: never acknowledged
      continue;
    }
    std::string id = entry->id;
    wal_.emplace(std::move(id), WalState{std::move(*entry), false});
  }
}

sim::Payload<WalReadResponse> Agent::handle_wal_read(const WalReadRequest& request) {
  WalReadResponse response;
  const auto it = wal_.find(request.entry_id);
  if (it != wal_.end() && request.byte_offset + request.byte_length <= it->second.entry.body.size()) {
    response.found = true;
    response.data = it->second.entry.body.substr(request.byte_offset, request.byte_length);
  }
  const std::uint64_t bytes = kControlBytes + response.data.size();
  return sim::Payload{std::move(response), bytes, sim::fnv1a64(request.entry_id), kTrafficFetch};
}

}  // namespace weir::models::kafka::diskless
