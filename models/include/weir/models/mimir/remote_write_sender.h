// RemoteWriteSender: the sending half of a Prometheus remote-write shard
// (storage/remote/queue_manager.go sendWriteRequestWithBackoff, client.go
// Store), shared by weir's workload clients.
//
// send() posts one batch to a distributor, picked like a load balancer
// (round-robin from a random start, or a random one each time), and retries:
//  - 2xx: done.
//  - 5xx, or no answer within remote_timeout (a network error or the HTTP
//    client's timeout): recoverable; wait `backoff` (min_backoff at first,
//    doubled after each retry, at most max_backoff) and send the same body
//    again, to the next distributor.
//  - 429: recoverable only with retry_on_http_429 (Prometheus default: off,
//    so the batch is dropped like any other 4xx).
//  - other 4xx: the batch is dropped.
// Prometheus retries recoverable errors without end; max_attempts > 0 makes
// the sender give up after that many attempts.
//
// History: every attempt is one write. record_write_invoke with the batch's
// sample runs, then record_write_complete: 2xx acked, 4xx rejected, 5xx and
// no answer timed_out, and the last attempt of a batch given up on failed.
// Every 5xx is treated as ambiguous: a distributor answers 5xx when its
// request timeout passes or a partition fails, and records of other
// partitions may already be in the log; checkers never count the samples of
// such a write as lost nor as phantom, so this is always safe.
//
// Ownership: a RemoteWriteSender belongs to a client Process and blocks only
// the fiber calling send(); the History (may be null) must outlive the runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/history.h"
#include "weir/properties/write.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// One attempt of a batch got its answer (status 0: none within remote_timeout).
inline constexpr sim::TraceKind kTraceRemoteWriteAttempt{"mimir.remote_write.attempt",
                                                         "write #{write} attempt answered {status}"};

enum class Balancing : std::uint8_t { round_robin, random };

struct RemoteWriteOptions {
  std::vector<sim::NodeId> distributors;  // at least one
  Balancing balancing = Balancing::round_robin;
  // The HTTP client's timeout per attempt (remote_timeout = 30 s).
  sim::Duration remote_timeout = sim::Duration::seconds(30);
  // queue_config min_backoff = 30 ms, max_backoff = 5 s.
  sim::Duration min_backoff = sim::Duration::milliseconds(30);
  sim::Duration max_backoff = sim::Duration::seconds(5);
  // queue_config retry_on_http_429 (default false).
  bool retry_on_http_429 = false;
  // 0: retry recoverable errors forever, as Prometheus does.
  int max_attempts = 0;

  std::optional<std::string> validate() const;
};

enum class SendOutcome : std::uint8_t { acked, dropped, gave_up };

struct SendResult {
  SendOutcome outcome = SendOutcome::acked;
  int attempts = 0;
  int last_status = 0;  // HTTP status of the last answer; 0: no answer
  std::string last_message;
};

struct RemoteWriteStats {
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;
  std::uint64_t batches_acked = 0;
  std::uint64_t batches_dropped = 0;
  std::uint64_t batches_given_up = 0;
  std::uint64_t samples_acked = 0;
  std::uint64_t samples_dropped = 0;
  std::uint64_t answers_429 = 0;
  std::uint64_t answers_5xx = 0;
  std::uint64_t no_answers = 0;
};

// The batch's samples as history runs: consecutive samples of a series at a
// constant step share a run. With explicit_values the runs list the values
// sent; otherwise they imply sample_value(series, ts), which the caller must
// have sent.
std::vector<properties::SampleRun> sample_runs(const std::string& tenant, const prometheus::WriteRequest& request,
                                               bool explicit_values);

class RemoteWriteSender {
 public:
  RemoteWriteSender(sim::Simulation& sim, sim::NodeId node, std::string client, std::string tenant,
                    RemoteWriteOptions options, properties::History* history, sim::Random random);

  // Sends one batch with retries; blocks the calling fiber until done.
  SendResult send(const prometheus::WriteRequest& request, const std::vector<properties::SampleRun>& runs);

  const RemoteWriteStats& stats() const { return stats_; }

 private:
  struct Attempt {
    int status = 0;  // 0: no answer
    std::string message;
  };
  Attempt attempt(const std::string& body, std::uint64_t body_digest, const std::vector<properties::SampleRun>& runs,
                  bool last_allowed);
  sim::NodeId pick_distributor();
  bool recoverable(const Attempt& attempt) const;

  sim::Simulation& sim_;
  sim::NodeId node_;
  std::string client_;
  std::string tenant_;
  RemoteWriteOptions options_;
  properties::History* history_;
  sim::Random random_;
  std::size_t next_distributor_;
  RemoteWriteStats stats_;
};

}  // namespace weir::models::mimir
