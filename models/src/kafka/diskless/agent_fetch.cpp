// The agent's fetch path: look up the batch index, read the batches from
// object storage (through the cache) or from a WAL, return dense offsets.
#include "agent.h"
#include "weir/sim/hash.h"

namespace weir::models::kafka::diskless {

sim::Payload<FetchResponse> Agent::handle_fetch(const FetchRequest& request) {
  LookupRequest lookup{request.topic, {}, request.max_bytes, request.max_wait};
  for (const FetchPartition& p : request.partitions) lookup.partitions.push_back({p.partition, p.fetch_offset});
  const std::uint64_t lookup_bytes = kControlBytes + 16 * lookup.partitions.size();
  const std::optional<LookupResponse> found = call_metadata(std::move(lookup), lookup_bytes, request.max_wait + options_.metadata_timeout);
  FetchResponse response;
  for (std::size_t i = 0; i < request.partitions.size(); ++i) {
    FetchPartitionResponse answer;
    answer.partition = request.partitions[i].partition;
    if (!found) {
      answer.error = ErrorCode::leader_not_available;  // the metadata service is out of reach
    } else {
      const LookupPartitionResponse& index = found->partitions[i];
      answer.error = index.error;
      answer.high_watermark = index.high_watermark;
      if (index.error == ErrorCode::none) {
        answer.error = read_batches(index.batches, request.partitions[i].fetch_offset, answer.records);
      }
    }
    response.partitions.push_back(std::move(answer));
  }
  std::uint64_t digest = 0;
  for (const auto& p : response.partitions) {
    for (const auto& r : p.records) digest = sim::hash_combine(digest, r.record.digest());
  }
  const std::uint64_t bytes = response.wire_bytes();
  return sim::Payload{std::move(response), bytes, digest, kTrafficFetch};
}

ErrorCode Agent::read_batches(const std::vector<BatchRef>& refs, std::int64_t from_offset,
                              std::vector<FetchedRecord>& out) {
  Loaded loaded;
  load_from_objects(refs, loaded);
  load_from_wals(refs, loaded);
  for (const BatchRef& ref : refs) {
    const auto it = loaded.find({ref.location.object_key, ref.location.byte_offset});
    if (it == loaded.end()) return out.empty() ? ErrorCode::kafka_storage_error : ErrorCode::none;
    const std::vector<Record>& records = *it->second;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::int64_t offset = ref.base_offset + static_cast<std::int64_t>(i);
      if (offset >= from_offset) out.push_back(FetchedRecord{offset, records[i], -1});
    }
  }
  return ErrorCode::none;
}

// Cache hits first; the misses of each object are read with one range GET
// spanning them, then decoded and cached.
void Agent::load_from_objects(const std::vector<BatchRef>& refs, Loaded& loaded) {
  std::map<std::string, std::vector<const BatchRef*>> misses;
  for (const BatchRef& ref : refs) {
    if (ref.location.in_wal()) continue;
    if (RecordBatch hit = cache_.get(ref.location.object_key, ref.location.byte_offset)) {
      loaded[{ref.location.object_key, ref.location.byte_offset}] = std::move(hit);
    } else {
      misses[ref.location.object_key].push_back(&ref);
    }
  }
  for (const auto& [key, wanted] : misses) {
    std::uint64_t begin = UINT64_MAX;
    std::uint64_t end = 0;
    for (const BatchRef* ref : wanted) {
      begin = std::min(begin, ref->location.byte_offset);
      end = std::max(end, ref->location.byte_offset + ref->location.byte_length);
    }
    const objstore::GetResult got = get_range(key, begin, end - begin);
    if (!got.ok() || got.data.size() != end - begin) continue;
    for (const BatchRef* ref : wanted) {
      const std::string_view bytes =
          std::string_view(got.data).substr(ref->location.byte_offset - begin, ref->location.byte_length);
      std::optional<std::vector<Record>> records = decode_records(bytes);
      if (!records || records->size() != static_cast<std::size_t>(ref->record_count)) continue;
      auto batch = std::make_shared<const std::vector<Record>>(std::move(*records));
      cache_.put(key, ref->location.byte_offset, batch, ref->location.byte_length);
      loaded[{key, ref->location.byte_offset}] = std::move(batch);
    }
  }
}

// AutoMQ mode: batches not uploaded yet are read from their WAL's agent
// (maybe in another zone). Not cached: their location is about to change.
void Agent::load_from_wals(const std::vector<BatchRef>& refs, Loaded& loaded) {
  for (const BatchRef& ref : refs) {
    if (!ref.location.in_wal()) continue;
    const WalReadRequest request{ref.location.object_key, ref.location.byte_offset, ref.location.byte_length};
    std::optional<WalReadResponse> reply;
    if (ref.location.wal_agent == node_) {
      reply = handle_wal_read(request).body;
    } else {
      auto answer = sim_.network().call(
          node_, ref.location.wal_agent,
          sim::Payload{request, kControlBytes, sim::fnv1a64(request.entry_id), kTrafficFetch},
          options_.metadata_timeout);
      if (answer.ok()) reply = std::move(answer.value());
    }
    if (!reply || !reply->found) continue;
    std::optional<std::vector<Record>> records = decode_records(reply->data);
    if (!records || records->size() != static_cast<std::size_t>(ref.record_count)) continue;
    loaded[{ref.location.object_key, ref.location.byte_offset}] =
        std::make_shared<const std::vector<Record>>(std::move(*records));
  }
}

objstore::GetResult Agent::get_range(const std::string& key, std::uint64_t offset, std::uint64_t length) {
  for (std::uint32_t attempt = 1;; ++attempt) {
    objstore::GetResult result = store_.get_range(key, offset, length);
    if (result.ok() || !objstore::is_retriable(result.status) || attempt >= options_.object_store_attempts) {
      return result;
    }
    backoff(attempt);
  }
}

}  // namespace weir::models::kafka::diskless
