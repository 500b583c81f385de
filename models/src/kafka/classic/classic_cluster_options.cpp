#include "weir/models/kafka/classic/classic_cluster_options.h"

#include <set>

#include <fmt/format.h>

#include "topology.h"

namespace weir::models::kafka::classic {
namespace {

std::optional<std::string> validate_topics(const ClassicClusterOptions& o) {
  if (o.topics.empty()) return "at least one topic is needed";
  std::set<std::string, std::less<>> names;
  for (const TopicSpec& t : o.topics) {
    if (t.name.empty()) return "a topic has an empty name";
    if (t.name == kOffsetsTopic) return fmt::format("topic name {} is reserved", kOffsetsTopic);
    if (t.partitions < 1) return fmt::format("topic {} needs at least one partition", t.name);
    if (!names.insert(t.name).second) return fmt::format("topic {} is listed twice", t.name);
  }
  if (o.offsets_topic_partitions < 1) return "offsets_topic_partitions must be at least 1";
  return std::nullopt;
}

std::optional<std::string> validate_durations(const ClassicClusterOptions& o) {
  const sim::Duration zero;
  if (o.replica_lag_time_max <= zero) return "replica_lag_time_max must be positive";
  if (o.replica_fetch_max_wait <= zero) return "replica_fetch_max_wait must be positive";
  if (o.replica_fetch_max_wait >= o.replica_lag_time_max) {
    return "replica_fetch_max_wait must be below replica_lag_time_max (Kafka's rule), or idle followers leave the ISR";
  }
  if (o.replica_fetch_backoff <= zero) return "replica_fetch_backoff must be positive";
  if (o.replica_fetch_response_timeout <= zero) return "replica_fetch_response_timeout must be positive";
  if (o.flush_interval <= zero) return "flush_interval must be positive";
  if (o.broker_heartbeat_interval <= zero) return "broker_heartbeat_interval must be positive";
  if (o.broker_session_timeout <= o.broker_heartbeat_interval) {
    return "broker_session_timeout must exceed broker_heartbeat_interval";
  }
  if (o.controller_request_timeout <= zero) return "controller_request_timeout must be positive";
  if (o.offset_commit_timeout <= zero) return "offset_commit_timeout must be positive";
  if (o.retention < zero) return "retention must not be negative (zero keeps records forever)";
  if (o.retention_check_interval <= zero) return "retention_check_interval must be positive";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ClassicClusterOptions::validate() const {
  if (brokers < 1) return "at least one broker is needed";
  if (zones.empty()) return "at least one zone is needed";
  for (const std::string& z : zones) {
    if (z.empty()) return "a zone has an empty name";
  }
  if (replication_factor < 1) return "replication_factor must be at least 1";
  if (static_cast<std::size_t>(replication_factor) > brokers) {
    return fmt::format("replication_factor {} exceeds the {} brokers", replication_factor, brokers);
  }
  if (min_insync_replicas < 1 || min_insync_replicas > replication_factor) {
    return fmt::format("min_insync_replicas must be in [1, replication_factor={}]", replication_factor);
  }
  if (replica_fetch_max_bytes == 0) return "replica_fetch_max_bytes must be positive";
  if (segment_bytes == 0) return "segment_bytes must be positive";
  if (name_prefix.empty()) return "name_prefix must not be empty";
  if (auto e = validate_topics(*this)) return e;
  if (auto e = validate_durations(*this)) return e;
  if (auto e = broker_disk.write_latency.validate()) return fmt::format("broker_disk: {}", *e);
  if (auto e = controller_disk.write_latency.validate()) return fmt::format("controller_disk: {}", *e);
  return std::nullopt;
}

}  // namespace weir::models::kafka::classic
