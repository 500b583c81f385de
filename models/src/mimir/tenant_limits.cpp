#include "weir/models/mimir/tenant_limits.h"

namespace weir::models::mimir {

std::optional<std::string> TenantLimits::validate() const {
  if (!(ingestion_rate > 0)) return "ingestion_rate must be positive";
  if (ingestion_burst_size < 1) return "ingestion_burst_size must be at least 1";
  if (max_label_names_per_series < 1) return "max_label_names_per_series must be at least 1";
  if (max_label_names_per_info_series < 1) return "max_label_names_per_info_series must be at least 1";
  if (max_label_name_length < 1) return "max_label_name_length must be at least 1";
  if (max_label_value_length < 1) return "max_label_value_length must be at least 1";
  if (max_metadata_length < 1) return "max_metadata_length must be at least 1";
  if (creation_grace_period.ns() < 0) return "creation_grace_period must not be negative";
  if (past_grace_period.ns() < 0) return "past_grace_period must not be negative";
  if (ingestion_partitions_tenant_shard_size < 0) return "ingestion_partitions_tenant_shard_size must not be negative";
  return std::nullopt;
}

}  // namespace weir::models::mimir
