// ReadWorkload: the run's readers, clients of the query-frontend issuing
// range queries while the clients write and after the faults heal, as
// dashboards and alerting rules do against a real Mimir.
//
// strong_readers readers ask with the strong-consistency header (Mimir's
// X-Read-Consistency: strong), eventual_readers without it. Each reader
// pauses a random time in [interval/2, 3*interval/2], then asks for up to
// series_per_read series of one of the newest acknowledged writes over
// [0, now] (so a query spans the ingesters' and the store-gateways' ranges),
// waiting at most `timeout` (Mimir's -querier.timeout, 2 m). A strong read
// that fails (an error answer or no answer in time) is retried up to
// strong_retries times after a backoff that doubles from retry_backoff, as a
// client retrying a 5xx would; each retry is a read of its own in the
// history, whose retry_of names the first attempt. Every read is recorded in
// the History.
//
// Ownership: built by the run with the Simulation, the History and the
// nodes it uses, all of which must outlive it; its fibers run on `client`.
// stop() lets each reader finish the request it is on (with its retries)
// and then return; idle() says when all have.
#pragma once

#include <optional>
#include <string>

#include "weir/properties/history.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {

struct ReadWorkloadOptions {
  int strong_readers = 2;
  int eventual_readers = 1;
  sim::Duration interval = sim::Duration::seconds(5);  // 0: no readers
  sim::Duration timeout = sim::Duration::seconds(120);
  int strong_retries = 3;
  sim::Duration retry_backoff = sim::Duration::seconds(1);
  int series_per_read = 20;

  std::optional<std::string> validate() const;
};

class ReadWorkload {
 public:
  ReadWorkload(sim::Simulation& sim, sim::NodeId client, sim::NodeId query_frontend, properties::History& history,
               ReadWorkloadOptions options);
  ReadWorkload(const ReadWorkload&) = delete;
  ReadWorkload& operator=(const ReadWorkload&) = delete;

  // Spawns the readers (none when the interval is 0).
  void start();
  // No reader starts a new request after this.
  void stop() { stopping_ = true; }
  bool idle() const { return running_ == 0; }

 private:
  void run_reader(int index, properties::ReadConsistency consistency);
  // One client request: a read and, for a failed strong read, its retries.
  void request(properties::ReadConsistency consistency, sim::Random& random);
  // Sends read `id` and records its answer; true if it succeeded.
  bool attempt(properties::ReadId id);
  std::vector<properties::SeriesId> pick_series(sim::Random& random) const;

  sim::Simulation& sim_;
  sim::NodeId client_;
  sim::NodeId query_frontend_;
  properties::History& history_;
  ReadWorkloadOptions options_;
  bool stopping_ = false;
  int running_ = 0;
};

}  // namespace weir::scenarios
