#include "weir/models/kafka/diskless/options.h"

#include <algorithm>
#include <set>

namespace weir::models::kafka::diskless {
namespace {

std::optional<std::string> check_latency(const char* name, const sim::Latency& latency) {
  const std::optional<std::string> error = latency.validate();
  if (!error) return std::nullopt;
  std::string message(name);
  message.append(": ");
  message.append(*error);
  return message;
}

std::optional<std::string> check_topology(const DisklessOptions& o) {
  if (o.zones.empty()) return "at least one zone is needed";
  if (std::set<std::string>(o.zones.begin(), o.zones.end()).size() != o.zones.size()) return "a zone is listed twice";
  if (o.agents_per_zone == 0) return "agents_per_zone must be at least 1";
  if (o.topics.empty()) return "at least one topic is needed";
  std::set<std::string> names;
  for (const TopicSpec& t : o.topics) {
    if (t.name.empty()) return "a topic needs a name";
    if (t.partitions <= 0) return "a topic needs at least one partition";
    if (!names.insert(t.name).second) return "a topic is listed twice";
  }
  if (!o.metadata_zone.empty() && std::find(o.zones.begin(), o.zones.end(), o.metadata_zone) == o.zones.end()) {
    return "metadata_zone must be one of the zones";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> DisklessOptions::validate() const {
  if (auto error = check_topology(*this)) return error;
  if (batch_timeout <= sim::Duration()) return "batch_timeout must be positive";
  if (batch_max_bytes == 0) return "batch_max_bytes must be positive";
  if (object_store_timeout <= sim::Duration() || metadata_timeout <= sim::Duration()) {
    return "timeouts must be positive";
  }
  if (object_store_attempts == 0 || metadata_attempts == 0) return "attempts must be at least 1";
  if (retry_backoff < sim::Duration()) return "retry_backoff must not be negative";
  if (auto error = check_latency("metadata_write_latency", metadata_write_latency)) return error;
  if (auto error = check_latency("metadata_read_latency", metadata_read_latency)) return error;
  if (heartbeat_interval <= sim::Duration()) return "heartbeat_interval must be positive";
  if (agent_liveness_timeout <= heartbeat_interval) return "agent_liveness_timeout must exceed heartbeat_interval";
  if (ack_before_commit && automq_wal_mode) return "ack_before_commit and automq_wal_mode exclude each other";
  if (wal_flush_interval <= sim::Duration()) return "wal_flush_interval must be positive";
  return std::nullopt;
}

}  // namespace weir::models::kafka::diskless
