// ProducerOptions: how a Producer batches, sends and retries, with defaults
// matching the franz-go client as Mimir's distributor configures it
// (pkg/storage/ingest/writer_client.go and config.go).
//
// Idempotence is off, as in Mimir (kgo.DisableIdempotentWrite): the protocol
// carries no producer ids, so a retried batch can be written twice and, with
// several requests in flight, land after a batch sent later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "weir/models/kafka/client/retry_backoff.h"
#include "weir/sim/time.h"

namespace weir::models::kafka {

struct ProducerOptions {
  std::string client_zone;  // the zone of the producing node, sent with Metadata

  // Required acks carried in each Produce request; -1 = all in-sync replicas
  // (kgo.RequiredAcks(kgo.AllISRAcks())).
  std::int16_t acks = -1;
  // Produce requests in flight per broker (Mimir defaultMaxInflightProduceRequests = 20).
  int max_in_flight_requests_per_broker = 20;
  // How long a partition's batch waits for more records (kgo.ProducerLinger, 50 ms).
  sim::Duration linger = sim::Duration::milliseconds(50);
  // Largest record batch (kgo.ProducerBatchMaxBytes, Mimir producerBatchMaxBytes =
  // 16,000,000). A single record bigger than this is rejected (MESSAGE_TOO_LARGE);
  // Mimir's writer splits requests into records of at most 15,983,616 bytes first.
  std::uint64_t batch_max_bytes = 16'000'000;
  // A record fails once it has waited this long without an ack; retries are
  // otherwise unlimited (kgo.RecordRetries(MaxInt), kgo.RecordDeliveryTimeout(
  // WriteTimeout), write timeout 10 s). Like franz-go, the timeout is checked
  // before a batch is sent and after an answer (or its absence), never while
  // a request is in flight.
  sim::Duration delivery_timeout = sim::Duration::seconds(10);
  // The timeout carried in each Produce request, how long the log may wait
  // for acks (kgo.ProduceRequestTimeout(WriteTimeout), 10 s).
  sim::Duration request_timeout = sim::Duration::seconds(10);
  // Extra client-side wait for an answer beyond request_timeout
  // (kgo.RequestTimeoutOverhead, Mimir write-timeout-overhead = 2 s).
  // It is also the whole timeout of requests that carry none of their own,
  // such as Metadata (franz-go deadlines those by the overhead alone).
  sim::Duration request_timeout_overhead = sim::Duration::seconds(2);
  // How long connecting to a broker may take (kgo.DialTimeout; Mimir
  // -ingest-storage.kafka.dial-timeout, 2 s).
  sim::Duration dial_timeout = sim::Duration::seconds(2);
  RetryBackoff retry_backoff;  // franz-go default: 250 ms doubling to 2.5 s, +-20 %

  // Metadata refresh (Mimir commonKafkaClientOptions: MetadataMinAge =
  // MetadataMaxAge = 10 s). After a retriable error a partition is not sent
  // to again until a refresh, and a refresh triggered by an error waits
  // until min_age after the last one, as in franz-go.
  sim::Duration metadata_min_age = sim::Duration::seconds(10);
  sim::Duration metadata_max_age = sim::Duration::seconds(10);

  std::optional<std::string> validate() const;
};

}  // namespace weir::models::kafka
