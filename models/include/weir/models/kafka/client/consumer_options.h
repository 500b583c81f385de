// ConsumerOptions: how a Consumer fetches and retries, with defaults matching
// the franz-go client as Mimir's ingester (pkg/storage/ingest/reader_client.go,
// config.go) and query-frontend configure it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "weir/models/kafka/client/retry_backoff.h"
#include "weir/sim/time.h"

namespace weir::models::kafka {

struct ConsumerOptions {
  std::string client_zone;  // sent with Metadata and Fetch (zone-local reads)

  // How long the log may hold a Fetch waiting for records
  // (-ingest-storage.kafka.fetch-max-wait, default 5 s, allowed 5-30 s).
  sim::Duration fetch_max_wait = sim::Duration::seconds(5);
  std::uint64_t fetch_min_bytes = 1;              // kgo.FetchMinBytes(1)
  std::uint64_t fetch_max_bytes = 100'000'000;    // reader fetchMaxBytes
  // Client-side wait beyond a request's own timeout; also the whole timeout
  // of requests without one (franz-go RequestTimeoutOverhead default 10 s,
  // which Mimir leaves for readers).
  sim::Duration request_timeout_overhead = sim::Duration::seconds(10);
  // How long connecting to a broker may take (kgo.DialTimeout; Mimir
  // -ingest-storage.kafka.dial-timeout, 2 s).
  sim::Duration dial_timeout = sim::Duration::seconds(2);
  // ListOffsets is retried on retriable errors for this long
  // (-ingest-storage.kafka.last-produced-offset-retry-timeout, 10 s).
  sim::Duration list_offsets_retry_timeout = sim::Duration::seconds(10);
  // Offset commit and fetch are retried, re-discovering the coordinator, for
  // this long (franz-go's default retry timeout, 30 s).
  sim::Duration group_retry_timeout = sim::Duration::seconds(30);
  RetryBackoff retry_backoff;  // franz-go default: 250 ms doubling to 2.5 s, +-20 %

  // Metadata refresh (Mimir commonKafkaClientOptions: 10 s and 10 s). A
  // consumer that meets NOT_LEADER_OR_FOLLOWER refreshes at once, as Mimir's
  // reader forces a refresh on such errors.
  sim::Duration metadata_min_age = sim::Duration::seconds(10);
  sim::Duration metadata_max_age = sim::Duration::seconds(10);

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::kafka
