// ClassicClusterOptions: the shape and the knobs of a classic (replicated,
// broker-disk) Kafka cluster model.
//
// A plain value type: copy it, change fields, call validate() (ClassicCluster
// refuses invalid options). Defaults follow Apache Kafka 3.x/4.x (KRaft) where
// Kafka has a default, and say so; where the model needs a knob Kafka does not
// have, the comment says what it stands for. Fault and hazard knobs are off
// by default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/sim/disk.h"
#include "weir/sim/time.h"

namespace weir::models::kafka::classic {

struct TopicSpec {
  std::string name;
  std::int32_t partitions = 1;
};

struct ClassicClusterOptions {
  // ---- Shape.
  // Brokers are placed round-robin across `zones`: broker i lives in
  // zones[i % zones.size()]. The single controller lives in zones[0].
  std::size_t brokers = 3;
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  std::vector<TopicSpec> topics = {{"ingest", 16}};
  // Node names are "<name_prefix>-broker-<i>" and "<name_prefix>-controller".
  std::string name_prefix = "kafka";

  // ---- Replication (per topic in Kafka; cluster-wide here).
  // default.replication.factor is 1 in Kafka; 3 is the production norm.
  // Replicas of partition index k are brokers k, k+1, ... (mod brokers), so
  // with brokers placed round-robin they span distinct zones when RF <= zones.
  std::int32_t replication_factor = 3;
  // min.insync.replicas is 1 in Kafka; 2 is the usual pairing with RF=3.
  std::int32_t min_insync_replicas = 2;
  // unclean.leader.election.enable (Kafka default false). On, a partition whose
  // ISR has no live member gets any live replica as leader: acknowledged
  // records can be lost (docs/models.md).
  bool unclean_leader_election = false;
  // replica.lag.time.max.ms (Kafka default 30 s): a follower that has not
  // caught up with the leader's log end for this long leaves the ISR. The
  // leader checks every half of it, as Kafka's isr-expiration task does.
  sim::Duration replica_lag_time_max = sim::Duration::seconds(30);
  // replica.fetch.wait.max.ms (Kafka default 500 ms): a follower fetch with
  // nothing new waits this long at the leader.
  sim::Duration replica_fetch_max_wait = sim::Duration::milliseconds(500);
  // replica.fetch.backoff.ms (Kafka default 1 s): pause after a failed fetch.
  sim::Duration replica_fetch_backoff = sim::Duration::seconds(1);
  // replica.fetch.response.max.bytes (Kafka default 10 MiB).
  std::uint64_t replica_fetch_max_bytes = 10 * 1024 * 1024;
  // Model knob: how long past max_wait a follower waits for a fetch reply
  // before retrying. Kafka waits replica.socket.timeout.ms (30 s) but a
  // restarted leader resets the connection at once; a simulated crash is
  // silent, so a short bound stands in for the reset.
  sim::Duration replica_fetch_response_timeout = sim::Duration::seconds(1);

  // ---- Durability.
  // Kafka acks from the page cache and leaves flushing to the OS
  // (log.flush.interval.ms is unset). Linux's flusher wakes every
  // vm.dirty_writeback_centisecs = 5 s; the model fsyncs every log at that
  // period, so a broker crash loses up to this much of its recent appends.
  sim::Duration flush_interval = sim::Duration::seconds(5);

  // ---- Log segments and retention (per topic in Kafka; cluster-wide here).
  // log.segment.bytes (Kafka default 1 GiB): the active segment rolls to a
  // new one (its own file) when a record would take it past this size.
  std::uint64_t segment_bytes = std::uint64_t{1} << 30;
  // retention.ms (Kafka default 7 days): closed segments whose newest record
  // is older than this, and wholly below the high watermark, are deleted and
  // the log start offset moves past them. Zero keeps every record forever
  // (Kafka's -1), the model's default. Applies to the user topics only
  // (__consumer_offsets is compacted in Kafka, not deleted by time).
  sim::Duration retention;
  // log.retention.check.interval.ms (Kafka default 5 min): how often each
  // broker looks for segments to delete.
  sim::Duration retention_check_interval = sim::Duration::seconds(300);

  // ---- Controller (KRaft).
  // broker.heartbeat.interval.ms (2 s) and broker.session.timeout.ms (9 s):
  // a broker silent for the session timeout is fenced, leaving every ISR and
  // leadership it held.
  sim::Duration broker_heartbeat_interval = sim::Duration::seconds(2);
  sim::Duration broker_session_timeout = sim::Duration::seconds(9);
  // Model knob: how long a broker waits for the controller's answer to a
  // registration or an AlterPartition before retrying.
  sim::Duration controller_request_timeout = sim::Duration::seconds(1);

  // ---- Consumer-group offsets (__consumer_offsets).
  // offsets.topic.num.partitions is 50 in Kafka; one partition is enough for
  // the few groups of a model run, more spreads the coordinators. It uses
  // replication_factor and min_insync_replicas like any topic.
  std::int32_t offsets_topic_partitions = 1;
  // offsets.commit.timeout.ms (Kafka default 5 s): a commit not replicated to
  // the ISR within this fails with COORDINATOR_NOT_AVAILABLE.
  sim::Duration offset_commit_timeout = sim::Duration::seconds(5);

  // ---- Nodes.
  sim::DiskOptions broker_disk;
  sim::DiskOptions controller_disk;

  // An error message when the options make no sense, else nothing.
  std::optional<std::string> validate() const;
};

}  // namespace weir::models::kafka::classic
