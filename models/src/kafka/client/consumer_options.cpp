#include "weir/models/kafka/client/consumer_options.h"

namespace weir::models::kafka {

std::optional<std::string> ConsumerOptions::validate() const {
  if (fetch_max_wait.ns() < 0) return "consumer fetch_max_wait must not be negative";
  if (fetch_max_bytes == 0) return "consumer fetch_max_bytes must be positive";
  if (fetch_min_bytes > fetch_max_bytes) return "consumer fetch_min_bytes must not exceed fetch_max_bytes";
  if (request_timeout_overhead.ns() <= 0) return "consumer request_timeout_overhead must be positive";
  if (dial_timeout.ns() <= 0) return "consumer dial_timeout must be positive";
  if (list_offsets_retry_timeout.ns() < 0) return "consumer list_offsets_retry_timeout must not be negative";
  if (group_retry_timeout.ns() < 0) return "consumer group_retry_timeout must not be negative";
  if (metadata_min_age.ns() < 0) return "consumer metadata_min_age must not be negative";
  if (metadata_max_age.ns() <= 0) return "consumer metadata_max_age must be positive";
  return retry_backoff.validate();
}

}  // namespace weir::models::kafka
