#include "weir/models/mimir/ingester.h"

#include <algorithm>
#include <stdexcept>

#include "weir/models/mimir/series_merge.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {
namespace {

// Mimir's backoff while waiting for the lag at startup (100 ms to 1 s) and
// while resolving the start offset (100 ms to 2 s).
const kafka::RetryBackoff kLagBackoff{sim::Duration::milliseconds(100), sim::Duration::seconds(1), 0.2};
const kafka::RetryBackoff kStartBackoff{sim::Duration::milliseconds(100), sim::Duration::seconds(2), 0.2};

IngesterSetup with_defaults(IngesterSetup setup, const sim::Node& node) {
  if (setup.zone.empty()) setup.zone = node.zone();
  if (setup.options.consumer.client_zone.empty()) setup.options.consumer.client_zone = setup.zone;
  if (auto error = setup.validate()) throw std::invalid_argument(*error);
  return setup;
}

sim::Payload<IngesterQueryResponse> reply(IngesterQueryResponse response) {
  const std::uint64_t bytes = result_wire_bytes(response.series) + response.error.size();
  const std::uint64_t digest = sim::hash_combine(result_digest(response.series), response.ok ? 1 : 2);
  return sim::Payload{std::move(response), bytes, digest, kTrafficQuery};
}

IngesterQueryResponse failure(std::string error) {
  IngesterQueryResponse response;
  response.ok = false;
  response.error = std::move(error);
  return response;
}

}  // namespace

std::optional<std::string> IngesterSetup::validate() const {
  if (partition < 0) return "ingester partition must not be negative";
  if (topic.empty()) return "ingester topic must not be empty";
  if (log_bootstrap.empty()) return "ingester needs at least one log bootstrap node";
  if (object_store == nullptr) return "ingester needs an object store";
  return options.validate();
}

Ingester::Ingester(sim::Simulation& sim, sim::NodeId node, IngesterSetup setup)
    : sim_(sim),
      node_(node),
      setup_(with_defaults(std::move(setup), sim.node(node))),
      zone_(setup_.zone),
      group_(sim.node(node).name()),
      tp_{setup_.topic, setup_.partition},
      random_(sim.random("mimir.ingester").fork(sim.node(node).name())),
      consumer_(sim, node, setup_.log_bootstrap, setup_.options.consumer),
      objects_(sim, node, *setup_.object_store, setup_.options.object_store),
      wal_(sim.node(node).disk(), setup_.options.wal_segment_max_bytes),
      blocks_(sim.node(node).disk()),
      heads_(setup_.options.head),
      consumed_(sim) {
  sim_.network().serve(node_, this, &Ingester::serve_query);
  sim_.spawn(node_, [this] { run(); });
}

Ingester::~Ingester() = default;

void Ingester::run() {
  recover();
  start_offset_ = resolve_start_offset();
  next_expected_offset_ = start_offset_;
  if (setup_.history != nullptr) {
    setup_.history->record_restarted(zone_, setup_.partition, sim_.now().ns(), start_offset_);
  }
  sim_.event(node_, kTraceIngesterStarted, {setup_.partition, start_offset_});
  PartitionFetcherOptions fetch;
  fetch.concurrency = setup_.options.fetch_concurrency_max;
  fetch.records_per_fetch = setup_.options.records_per_fetch;
  fetch.backoff = setup_.options.fetch_backoff;
  fetch.drop_whole_fetch_on_partial_error = setup_.options.drop_whole_fetch_on_partial_error;
  fetch.ignore_record_at_offset_zero = setup_.options.ignore_record_at_offset_zero;
  fetch.return_overlapping_records_twice = setup_.options.return_overlapping_records_twice;
  fetch.resume_from_unset_last_returned_offset = setup_.options.resume_from_unset_last_returned_offset;
  fetcher_ = std::make_unique<PartitionFetcher>(sim_, consumer_, tp_, start_offset_, fetch);
  sim_.spawn(node_, [this] { consume_loop(); });
  sim_.spawn(node_, [this] { commit_loop(); });
  sim_.spawn(node_, [this] { lag_loop(); });
  sim_.spawn(node_, [this] { compaction_loop(); });
  wait_until_caught_up();
  fetcher_->stop_concurrency();
  ready_ = true;
  sim_.event(node_, kTraceIngesterReady, {setup_.partition, consumed_.last()});
}

// Loads the local blocks, raises the heads to their newest blocks' max
// times, then replays the WAL. Mimir counts a tenant's idle time from the
// opening of its TSDB.
void Ingester::recover() {
  stats_.blocks_loaded = blocks_.load();
  for (const auto& [tenant, max_time] : blocks_.durable_boundaries()) heads_.set_min_valid(tenant, max_time);
  std::int64_t newest = -1;
  stats_.replay = wal_.replay([this, &newest](const WalRecord& record) {
    heads_.apply(record);
    newest = std::max(newest, record.offset);
  });
  if (stats_.replay.segments > 0) {
    sim_.event(node_, kTraceIngesterWalReplayed, {setup_.partition, stats_.replay.records, newest});
  }
  for (const std::string& tenant : heads_.tenants()) last_append_[tenant] = sim_.now();
}

// Mimir's getStartOffset with consume-from-position-at-startup=last-offset.
std::int64_t Ingester::resolve_start_offset() {
  const bool from_end = setup_.options.start_at_log_end_without_offset;
  const bool missing_as_zero = setup_.options.missing_committed_offset_as_zero;
  for (int failures = 1;; ++failures) {
    const kafka::OffsetResult committed = consumer_.fetch_committed(group_, tp_);
    if (committed.ok() && (committed.offset >= 0 || missing_as_zero)) {
      // The planted bug (Mimir #7682) reads a missing offset as 0.
      const std::int64_t offset = std::max<std::int64_t>(committed.offset, 0);
      last_committed_ = offset;
      consumed_.notify(offset);
      return offset + 1;
    }
    if (committed.ok()) {
      const kafka::OffsetResult bound =
          consumer_.list_offsets(tp_, from_end ? kafka::kLatestTimestamp : kafka::kEarliestTimestamp);
      if (bound.ok()) return bound.offset;
    }
    backoff(kStartBackoff, failures);
  }
}

// Mimir's processNextFetchesUntilTargetOrMaxLagHonored. Skipped when
// consuming from the log end (Mimir skips it for the "end" position).
void Ingester::wait_until_caught_up() {
  const sim::Duration max_lag = setup_.options.max_consumer_lag_at_startup;
  const sim::Duration target_lag = setup_.options.target_consumer_lag_at_startup;
  if (max_lag.ns() == 0) return;
  if (setup_.options.start_at_log_end_without_offset && last_committed_ < 0) return;
  const std::optional<sim::Duration> first = honor_lag(max_lag, sim::Time::max());
  if (first && *first <= target_lag) return;
  fetcher_->stop_concurrency();
  const std::optional<sim::Duration> second = honor_lag(target_lag, sim_.now() + max_lag * 2);
  if (second && *second <= target_lag) return;
  honor_lag(max_lag, sim::Time::max());
}

// Consumes up to the last produced offset, asked for at T; done when that
// took at most max_lag (the lag is the time since T), else tries again.
std::optional<sim::Duration> Ingester::honor_lag(sim::Duration max_lag, sim::Time deadline) {
  for (int failures = 1; sim_.now() < deadline;) {
    const std::optional<std::int64_t> start = partition_start_offset();
    const sim::Time asked_at = sim_.now();
    const std::optional<std::int64_t> last = start ? last_produced_offset() : std::nullopt;
    if (!last) {
      backoff(kLagBackoff, failures++);
      continue;
    }
    if (*start > *last) return sim::Duration();
    if (!consumed_.wait_until(*last, deadline)) return std::nullopt;
    const sim::Duration lag = sim_.now() - asked_at;
    if (lag <= max_lag) return lag;
  }
  return std::nullopt;
}

// The offset of the last record in the partition (-1 when empty).
std::optional<std::int64_t> Ingester::last_produced_offset() {
  const kafka::OffsetResult end = consumer_.list_offsets(tp_, kafka::kLatestTimestamp);
  if (!end.ok()) return std::nullopt;
  return end.offset - 1;
}

std::optional<std::int64_t> Ingester::partition_start_offset() {
  const kafka::OffsetResult start = consumer_.list_offsets(tp_, kafka::kEarliestTimestamp);
  if (!start.ok()) return std::nullopt;
  return start.offset;
}

sim::Payload<IngesterQueryResponse> Ingester::serve_query(const IngesterQueryRequest& request) {
  ++stats_.queries;
  if (!ready_) {
    ++stats_.queries_not_ready;
    sim_.event(node_, kTraceIngesterQueryFailed, {request.trace_read, setup_.partition, "not serving yet (catching up)"});
    return reply(failure("not serving yet (catching up)"));
  }
  if (request.min_offset >= 0) {
    ++stats_.strong_reads;
    const sim::Duration timeout = strong_read_timeout(request);
    const sim::Time deadline = timeout.ns() == 0 ? sim::Time::max() : sim_.now() + timeout;
    if (!consumed_.wait_until(request.min_offset, deadline)) {
      ++stats_.strong_read_timeouts;
      sim_.event(node_, kTraceIngesterQueryFailed, {request.trace_read, setup_.partition, "strong read timed out"});
      return reply(failure("strong read timed out"));
    }
  }
  SeriesMerge merge;
  heads_.query(request.tenant, request.selector, merge);
  blocks_.query(request.tenant, request.selector.series.ids(), request.selector.start_ms, request.selector.end_ms, merge);
  IngesterQueryResponse response;
  response.series = merge.results();
  sim_.event(node_, kTraceIngesterQuery,
             {request.trace_read, response.series.size(), setup_.partition, request.min_offset});
  return reply(std::move(response));
}

// The ingester's own timeout, shortened by the request's (0 = none).
sim::Duration Ingester::strong_read_timeout(const IngesterQueryRequest& request) const {
  const sim::Duration own = setup_.options.wait_strong_read_consistency_timeout;
  if (request.max_wait.ns() <= 0) return own;
  if (own.ns() == 0) return request.max_wait;
  return std::min(own, request.max_wait);
}

void Ingester::backoff(const kafka::RetryBackoff& policy, int failures) {
  sim_.sleep(policy.delay(failures, random_));
}

sim::BootFn ingester_boot(IngesterSetup setup) {
  if (auto error = setup.validate()) throw std::invalid_argument(*error);
  return [setup = std::move(setup)](sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<Ingester>(sim, node, setup);
  };
}

}  // namespace weir::models::mimir
