#include "weir/models/mimir/ingester_options.h"

namespace weir::models::mimir {

std::optional<std::string> IngesterOptions::validate() const {
  if (auto error = consumer.validate()) return error;
  if (commit_interval.ns() <= 0) return "ingester commit_interval must be positive";
  if (last_produced_offset_poll_interval.ns() <= 0) return "ingester last_produced_offset_poll_interval must be positive";
  if ((target_consumer_lag_at_startup.ns() == 0) != (max_consumer_lag_at_startup.ns() == 0)) {
    return "ingester target and max consumer lag at startup must be both 0 or both positive";
  }
  if (max_consumer_lag_at_startup < target_consumer_lag_at_startup) {
    return "ingester max_consumer_lag_at_startup must be at least target_consumer_lag_at_startup";
  }
  if (target_consumer_lag_at_startup.ns() < 0) return "ingester consumer lag at startup must not be negative";
  if (wait_strong_read_consistency_timeout.ns() < 0) {
    return "ingester wait_strong_read_consistency_timeout must not be negative (0 = no timeout)";
  }
  if (fetch_concurrency_max < 0) return "ingester fetch_concurrency_max must not be negative";
  if (records_per_fetch <= 0) return "ingester records_per_fetch must be positive";
  if (auto error = fetch_backoff.validate()) return error;
  if (auto error = head.validate()) return error;
  if (head_compaction_interval.ns() <= 0 || head_compaction_interval > sim::Duration::seconds(300)) {
    return "ingester head_compaction_interval must be in (0, 5 min]";
  }
  if (head_compaction_idle_timeout.ns() < 0) return "ingester head_compaction_idle_timeout must not be negative (0 = off)";
  if (retention_period.ns() < 0) return "ingester retention_period must not be negative";
  if (wal_segment_max_bytes == 0) return "ingester wal_segment_max_bytes must be positive";
  if (auto error = upload_backoff.validate()) return error;
  if (auto error = object_store.validate()) return error;
  if (lag_record_interval.ns() <= 0) return "ingester lag_record_interval must be positive";
  return std::nullopt;
}

}  // namespace weir::models::mimir
