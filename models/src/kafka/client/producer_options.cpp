#include "weir/models/kafka/client/producer_options.h"

namespace weir::models::kafka {

std::optional<std::string> ProducerOptions::validate() const {
  if (acks != -1 && acks != 1) return "producer acks must be -1 (all) or 1 (leader only)";
  if (max_in_flight_requests_per_broker < 1) return "producer max_in_flight_requests_per_broker must be at least 1";
  if (linger.ns() < 0) return "producer linger must not be negative";
  if (batch_max_bytes == 0) return "producer batch_max_bytes must be positive";
  if (delivery_timeout.ns() <= 0) return "producer delivery_timeout must be positive";
  if (request_timeout.ns() <= 0) return "producer request_timeout must be positive";
  if (request_timeout_overhead.ns() <= 0) return "producer request_timeout_overhead must be positive";
  if (dial_timeout.ns() <= 0) return "producer dial_timeout must be positive";
  if (metadata_min_age.ns() < 0) return "producer metadata_min_age must not be negative";
  if (metadata_max_age.ns() <= 0) return "producer metadata_max_age must be positive";
  return retry_backoff.validate();
}

}  // namespace weir::models::kafka
