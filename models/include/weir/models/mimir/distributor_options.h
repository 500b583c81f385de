// DistributorOptions: how a weir Distributor validates, limits, shards and
// writes, with Mimir's defaults (pkg/distributor/distributor.go Config,
// pkg/storage/ingest/config.go) and its one planted-bug knob.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "weir/models/kafka/client/producer_options.h"
#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/tenant_limits.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

struct DistributorOptions {
  TenantLimits limits;
  // The Kafka topic written (-ingest-storage.kafka.topic; Mimir's jsonnet uses "ingest").
  std::string topic = "ingest";
  // How long a push may wait for the log (-distributor.remote-timeout = 2 s;
  // Mimir's Kafka-backend guide recommends 5 s). Past it the client gets a
  // 500 while the records may still be written: an ambiguous outcome.
  sim::Duration request_timeout = sim::Duration::seconds(2);
  // Healthy distributors sharing each tenant's ingestion rate (Mimir's global
  // strategy divides the rate by the distributor ring's healthy instances;
  // the burst is not divided). A topology sets it to its distributor count.
  int rate_limit_distributors = 1;
  // Largest decompressed request accepted (-distributor.max-recv-msg-size = 100 MiB).
  std::size_t max_recv_msg_size = std::size_t{100} << 20;
  // Largest record value before a per-partition request is split
  // (-ingest-storage.kafka.producer-max-record-size-bytes).
  std::size_t max_record_bytes = kDefaultMaxRecordBytes;
  // The producer's settings; an empty client_zone becomes the node's zone.
  kafka::ProducerOptions producer;

  // Planted bug, default off: answer 200 as soon as the records of the first
  // partition to finish are acknowledged, without waiting for the other
  // partitions. A partition whose records then fail loses samples of a write
  // the client saw acknowledged (property: no lost acknowledged samples).
  bool ack_before_all_partitions = false;

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::mimir
