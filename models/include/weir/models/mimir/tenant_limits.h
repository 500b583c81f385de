// TenantLimits: the per-tenant limits a Mimir distributor enforces on the
// write path, with Mimir's defaults (pkg/util/validation/limits.go,
// Limits.RegisterFlags). weir applies one set of limits to every tenant.
//
// Contract: a plain value; validate() names the first nonsensical field.
#pragma once

#include <optional>
#include <string>

#include "weir/sim/time.h"

namespace weir::models::mimir {

struct TenantLimits {
  // Samples + exemplars + metadata per second, across all distributors
  // (-distributor.ingestion-rate-limit = 10000).
  double ingestion_rate = 10'000;
  // Most items one request may add at once (-distributor.ingestion-burst-size = 200000).
  int ingestion_burst_size = 200'000;
  // -validation.max-label-names-per-series = 30; series whose metric name ends
  // in "_info" may have up to -validation.max-label-names-per-info-series = 80.
  int max_label_names_per_series = 30;
  int max_label_names_per_info_series = 80;
  // -validation.max-length-label-name = 1024, -validation.max-length-label-value = 2048 (bytes).
  int max_label_name_length = 1024;
  int max_label_value_length = 2048;
  // -validation.max-metadata-length = 1024: longer metric names and units are
  // rejected, longer help text is truncated.
  int max_metadata_length = 1024;
  // Samples newer than now + this are rejected (-validation.create-grace-period = 10m).
  sim::Duration creation_grace_period = sim::Duration::seconds(600);
  // Samples older than now - this are rejected; 0 disables the check
  // (-validation.past-grace-period = 0).
  sim::Duration past_grace_period;
  // Shuffle sharding: the tenant writes to this many ACTIVE partitions; 0 = all
  // (-ingest-storage.ingestion-partition-tenant-shard-size = 0).
  int ingestion_partitions_tenant_shard_size = 0;

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::mimir
