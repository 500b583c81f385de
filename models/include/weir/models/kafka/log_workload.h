// LogWorkload: a workload that any LogCluster (classic, diskless, or the
// tests' reference log) must survive, and the checks of what it observed.
// The log-level property tests and `weir bench log` run it.
//
// run_log_workload adds client nodes to the Simulation: `producers` producer
// nodes spread over `zones`, each producing unique random records to random
// partitions for `duration`; after `settle` (time for every record to get its
// answer), one consumer node per zone reads every partition from its log
// start to its high watermark. The summary holds the acknowledged records
// (partition, offset, digest) and what each zone read; `violations()` checks
// that no acknowledged record is lost (each zone finds its digest at its
// offset), offsets are dense, every zone read the same records, and nothing
// read was never produced. Faults the caller schedules (crashes, partitions)
// must be healed before `duration + settle` so that the reads can finish.
//
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/kafka/client/consumer.h"
#include "weir/models/kafka/client/producer.h"
#include "weir/models/kafka/log_cluster.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka {

struct LogWorkloadOptions {
  std::string topic = "ingest";
  std::int32_t partitions = 4;
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  int producers = 3;                                           // round-robin over zones
  // Clients connect once the log is up, as in production (brokers register
  // with their controller first; a produce before that is refused).
  sim::Duration start_after = sim::Duration::seconds(1);
  sim::Duration duration = sim::Duration::seconds(5);          // of producing
  sim::Duration mean_record_interval = sim::Duration::milliseconds(20);  // per producer
  std::size_t value_bytes_max = 200;                           // random padding per record
  // Before reading: long enough for every record's result (a batch sent just
  // before its 10 s delivery timeout may wait 12 s more for an answer).
  sim::Duration settle = sim::Duration::seconds(25);
  sim::Duration read_timeout = sim::Duration::seconds(60);     // for the reads
  ProducerOptions producer;                                    // client_zone set per node
  ConsumerOptions consumer;                                    // client_zone set per node
};

struct AckedRecord {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::uint64_t digest = 0;
};

struct ReadRecord {
  std::int64_t offset = 0;
  std::uint64_t digest = 0;
  bool operator==(const ReadRecord&) const = default;
};

// What one zone's consumer read of one partition.
struct PartitionRead {
  bool complete = false;  // reached the high watermark it saw at the start
  std::int64_t log_start = -1;
  std::int64_t high_watermark = -1;
  std::vector<ReadRecord> records;
};

struct ZoneRead {
  std::string zone;
  std::vector<PartitionRead> partitions;
};

struct LogWorkloadSummary {
  std::uint64_t produced = 0;
  std::uint64_t acked = 0;
  std::uint64_t failed = 0;      // an error result (timeouts are ambiguous)
  std::uint64_t unresolved = 0;  // no result by the end of settle
  std::vector<AckedRecord> acked_records;
  std::set<std::uint64_t> produced_digests;
  std::vector<ZoneRead> reads;

  std::vector<std::string> violations() const;
};

LogWorkloadSummary run_log_workload(sim::Simulation& sim, LogCluster& log, const LogWorkloadOptions& options);

// ---------------------------------------------------------------- implementation

namespace detail {

struct PendingProduce {
  std::int32_t partition;
  std::uint64_t digest;
  sim::Future<ProduceResult> result;
};

struct WorkloadState {
  std::vector<PendingProduce> pending;
  std::set<std::uint64_t> produced_digests;
  std::vector<ZoneRead> reads;
  std::size_t readers_done = 0;
};

template <class Client>
struct ClientProcess : sim::Process {
  std::unique_ptr<Client> client;
};

inline std::string numbered(std::string prefix, std::uint64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

inline void produce_until(sim::Simulation& sim, Producer& producer, const std::string& name,
                          const LogWorkloadOptions& options, sim::Time end, WorkloadState& state) {
  sim::Random random = sim.random("log-workload").fork(name);
  const double mean_ns = static_cast<double>(options.mean_record_interval.ns());
  for (std::uint64_t seq = 0;; ++seq) {
    sim.sleep(sim::Duration::nanoseconds(1 + static_cast<std::int64_t>(random.exponential(mean_ns))));
    if (sim.now() >= end) return;
    const auto partition = static_cast<std::int32_t>(random.below(static_cast<std::uint64_t>(options.partitions)));
    Record record;
    record.key = name;
    std::string value = name;
    value.push_back('#');
    value.append(std::to_string(seq));
    value.append(random.below(options.value_bytes_max + 1), 'x');
    record.value = std::move(value);
    record.timestamp_ms = sim.now().ms();
    state.produced_digests.insert(record.digest());
    const std::uint64_t digest = record.digest();
    state.pending.push_back(PendingProduce{partition, digest, producer.produce(options.topic, partition, std::move(record))});
  }
}

// Reads [log start, high watermark) of one partition, retrying errors.
inline PartitionRead read_partition(sim::Simulation& sim, Consumer& consumer, const TopicPartition& tp,
                                    sim::Time deadline) {
  PartitionRead read;
  const sim::Duration pause = sim::Duration::milliseconds(250);
  while (sim.now() < deadline && (read.log_start < 0 || read.high_watermark < 0)) {
    const OffsetResult start = consumer.list_offsets(tp, kEarliestTimestamp);
    const OffsetResult end = consumer.list_offsets(tp, kLatestTimestamp);
    if (start.ok() && end.ok()) {
      read.log_start = start.offset;
      read.high_watermark = end.offset;
    } else {
      sim.sleep(pause);
    }
  }
  std::int64_t next = read.log_start;
  while (read.log_start >= 0 && next < read.high_watermark && sim.now() < deadline) {
    const FetchResult fetched = consumer.fetch(tp, next, sim::Duration::milliseconds(500));
    if (!fetched.ok()) {
      sim.sleep(pause);
      continue;
    }
    for (const FetchedRecord& r : fetched.records) {
      if (r.offset != next || r.offset >= read.high_watermark) break;
      read.records.push_back(ReadRecord{r.offset, r.record.digest()});
      ++next;
    }
  }
  read.complete = read.log_start >= 0 && next >= read.high_watermark;
  return read;
}

template <class Client, class Options, class Body>
sim::NodeId add_client_node(sim::Simulation& sim, std::string name, const std::string& zone,
                            std::vector<sim::NodeId> bootstrap, Options options, Body body) {
  options.client_zone = zone;
  const sim::NodeId id = sim.add_node(sim::NodeSpec{
      std::move(name), zone,
      [bootstrap, options, body](sim::Simulation& s, sim::NodeId self) {
        auto process = std::make_unique<ClientProcess<Client>>();
        process->client = std::make_unique<Client>(s, self, bootstrap, options);
        Client* client = process->client.get();
        s.spawn(self, [&s, client, body] { body(s, *client); });
        return process;
      },
      {}});
  sim.start(id);
  return id;
}

}  // namespace detail

inline LogWorkloadSummary run_log_workload(sim::Simulation& sim, LogCluster& log, const LogWorkloadOptions& options) {
  auto state = std::make_shared<detail::WorkloadState>();
  sim.run_until(sim.now() + options.start_after);
  const sim::Time produce_end = sim.now() + options.duration;
  for (int i = 0; i < options.producers; ++i) {
    const std::string& zone = options.zones[static_cast<std::size_t>(i) % options.zones.size()];
    const std::string name = detail::numbered("workload-producer-", static_cast<std::uint64_t>(i));
    detail::add_client_node<Producer>(sim, name, zone, log.bootstrap(zone), options.producer,
                                      [state, name, options, produce_end](sim::Simulation& s, Producer& producer) {
                                        detail::produce_until(s, producer, name, options, produce_end, *state);
                                      });
  }
  sim.run_until(produce_end + options.settle);

  LogWorkloadSummary summary;
  for (detail::PendingProduce& p : state->pending) {
    ++summary.produced;
    if (!p.result.ready()) {
      ++summary.unresolved;
    } else if (const ProduceResult& r = p.result.get(); r.ok()) {
      ++summary.acked;
      summary.acked_records.push_back(AckedRecord{p.partition, r.offset, p.digest});
    } else {
      ++summary.failed;
    }
  }
  summary.produced_digests = state->produced_digests;

  const sim::Time read_deadline = sim.now() + options.read_timeout;
  state->reads.resize(options.zones.size());
  for (std::size_t z = 0; z < options.zones.size(); ++z) {
    const std::string& zone = options.zones[z];
    state->reads[z].zone = zone;
    std::string name = "workload-consumer-";
    name += zone;
    detail::add_client_node<Consumer>(
        sim, std::move(name), zone, log.bootstrap(zone), options.consumer,
        [state, z, options, read_deadline](sim::Simulation& s, Consumer& consumer) {
          for (std::int32_t p = 0; p < options.partitions; ++p) {
            state->reads[z].partitions.push_back(
                detail::read_partition(s, consumer, TopicPartition{options.topic, p}, read_deadline));
          }
          ++state->readers_done;
        });
  }
  while (state->readers_done < options.zones.size() && sim.now() < read_deadline) {
    sim.run_until(std::min(read_deadline, sim.now() + sim::Duration::seconds(1)));
  }
  summary.reads = state->reads;
  return summary;
}

inline std::vector<std::string> LogWorkloadSummary::violations() const {
  std::vector<std::string> out;
  const auto report = [&out](const std::string& zone, std::size_t p, std::string_view what, std::int64_t offset) {
    std::string s = "zone ";
    s.append(zone).append(" partition ").append(std::to_string(p)).append(": ").append(what);
    if (offset >= 0) s.append(" at offset ").append(std::to_string(offset));
    out.push_back(std::move(s));
  };
  for (const ZoneRead& zone : reads) {
    for (std::size_t p = 0; p < zone.partitions.size(); ++p) {
      const PartitionRead& read = zone.partitions[p];
      if (!read.complete) report(zone.zone, p, "read did not reach the high watermark", read.high_watermark);
      for (std::size_t i = 0; i < read.records.size(); ++i) {
        if (read.records[i].offset != read.log_start + static_cast<std::int64_t>(i)) {
          report(zone.zone, p, "offsets not dense", read.records[i].offset);
          break;
        }
      }
      for (const ReadRecord& r : read.records) {
        if (!produced_digests.contains(r.digest)) report(zone.zone, p, "phantom record", r.offset);
      }
      const std::vector<PartitionRead>& first = reads.front().partitions;
      if (p < first.size() && first[p].records != read.records) {
        report(zone.zone, p, "read differs from the first zone's", -1);
      }
    }
    for (const AckedRecord& record : acked_records) {
      const auto p = static_cast<std::size_t>(record.partition);
      if (p >= zone.partitions.size()) {
        report(zone.zone, p, "acknowledged record in a partition never read", record.offset);
        continue;
      }
      const PartitionRead& read = zone.partitions[p];
      const std::int64_t index = record.offset - read.log_start;
      const bool found = index >= 0 && index < static_cast<std::int64_t>(read.records.size()) &&
                         read.records[static_cast<std::size_t>(index)].digest == record.digest;
      if (!found) report(zone.zone, p, "acknowledged record lost", record.offset);
    }
  }
  return out;
}

}  // namespace weir::models::kafka
