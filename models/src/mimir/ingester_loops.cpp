// The Ingester's background fibers: consuming, committing, measuring lag,
// and cutting and shipping blocks. See ingester.h.
#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/ingester.h"
#include "weir/models/mimir/record_to_wal.h"
#include "weir/sim/assert.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {
namespace {

const kafka::RetryBackoff kWalRetryBackoff{sim::Duration::milliseconds(250), sim::Duration::seconds(2), 0.2};

std::vector<RecordHeader> to_mimir_headers(const std::vector<kafka::RecordHeader>& headers) {
  std::vector<RecordHeader> out;
  out.reserve(headers.size());
  for (const kafka::RecordHeader& h : headers) out.push_back(RecordHeader{h.key, h.value});
  return out;
}

}  // namespace

// ---------------------------------------------------------------- consuming

void Ingester::consume_loop() {
  for (;;) {
    for (const kafka::FetchedRecord& fetched : fetcher_->next()) apply(fetched);
  }
}

void Ingester::apply(const kafka::FetchedRecord& fetched) {
  if (fetched.offset > next_expected_offset_) ++stats_.offset_gaps;
  next_expected_offset_ = std::max(next_expected_offset_, fetched.offset + 1);
  const kafka::Record& record = fetched.record;
  std::uint64_t samples = 0;
  const auto decoded = decode_record_as_wal(record.key, record.value, to_mimir_headers(record.headers), fetched.offset);
  if (!decoded) {
    ++stats_.records_undecodable;
  } else {
    const WalRecord& logged = decoded.value();
    for (const WalSeries& series : logged.series) samples += series.samples.size();
    if (!logged.series.empty()) {
      write_wal(logged);
      heads_.apply(logged);
      last_append_[logged.tenant] = sim_.now();
    }
  }
  consumed_.notify(fetched.offset);
  ++stats_.records_consumed;
  const std::uint64_t digest = record.digest();
  if (setup_.history != nullptr) {
    setup_.history->record_applied(zone_, setup_.partition, fetched.offset, digest, sim_.now().ns());
  }
  sim_.event(node_, kTraceIngesterApplied, {setup_.partition, fetched.offset, samples, digest});
}

// A failed WAL write is a server error: Mimir retries the record until it
// goes through, so consumption stalls meanwhile.
void Ingester::write_wal(const WalRecord& record) {
  for (int failures = 1; wal_.append(record) != sim::DiskStatus::ok; ++failures) {
    ++stats_.wal_write_failures;
    backoff(kWalRetryBackoff, failures);
  }
}

// ---------------------------------------------------------------- committing

// Mimir's partitionCommitter: each tick commits the last consumed offset if
// it moved; the pre-commit hook fsyncs the WAL first (Mimir #13591).
void Ingester::commit_loop() {
  for (;;) {
    sim_.sleep(setup_.options.commit_interval);
    const std::int64_t offset = consumed_.last();
    if (offset >= 0 && offset > last_committed_) sync_and_commit(offset);
  }
}

void Ingester::sync_and_commit(std::int64_t offset) {
  if (setup_.options.commit_before_wal_fsync) {
    if (commit(offset)) {
      if (wal_.sync()) {
        trace_wal_synced();
      } else {
        ++stats_.wal_sync_failures;
      }
    }
    return;
  }
  if (!wal_.sync()) {
    ++stats_.wal_sync_failures;
    return;
  }
  trace_wal_synced();
  commit(offset);
}

void Ingester::trace_wal_synced() {
  if (wal_.synced_through() >= 0) sim_.event(node_, kTraceIngesterWalSynced, {wal_.synced_through()});
}

bool Ingester::commit(std::int64_t offset) {
  // Mimir commits only what the ingester has applied (and logged).
  WEIR_ASSERT(offset <= consumed_.last(), "partition {}: commit of offset {} past the last consumed {}",
              setup_.partition, offset, consumed_.last());
  // Recorded before sending: if the answer is lost or the ingester dies
  // waiting, the log may hold this commit all the same.
  if (setup_.history != nullptr) setup_.history->record_commit_attempted(zone_, setup_.partition, offset, sim_.now().ns());
  if (consumer_.commit(group_, tp_, offset) != kafka::ErrorCode::none) {
    ++stats_.commit_failures;
    return false;
  }
  last_committed_ = std::max(last_committed_, offset);
  ++stats_.commits;
  if (setup_.history != nullptr) setup_.history->record_committed(zone_, setup_.partition, offset, sim_.now().ns());
  sim_.event(node_, kTraceIngesterCommitted, {setup_.partition, offset});
  return true;
}

// ---------------------------------------------------------------- lag

// Polls the last produced offset (Mimir's reader does, every 1 s). Each poll
// is a probe (offset, time); the lag is the age of the oldest probe whose
// offset is not consumed yet, 0 when none is pending.
void Ingester::lag_loop() {
  std::deque<std::pair<std::int64_t, sim::Time>> probes;
  sim::Time next_record = sim_.now();
  for (;;) {
    if (const std::optional<std::int64_t> last = last_produced_offset()) {
      // A log that shrank (truncated) will never reach the forgotten offsets.
      while (!probes.empty() && probes.back().first > *last) probes.pop_back();
      if (probes.empty() || *last > probes.back().first) probes.emplace_back(*last, sim_.now());
    }
    while (!probes.empty() && probes.front().first <= consumed_.last()) probes.pop_front();
    lag_ = probes.empty() ? sim::Duration() : sim_.now() - probes.front().second;
    if (sim_.now() >= next_record) {
      if (setup_.history != nullptr) setup_.history->record_lag(zone_, setup_.partition, sim_.now().ns(), lag_.ns());
      next_record = sim_.now() + setup_.options.lag_record_interval;
    }
    sim_.sleep(setup_.options.last_produced_offset_poll_interval);
  }
}

// ---------------------------------------------------------------- blocks

// Mimir's compaction loop and shipper, in one fiber: the only one that
// changes the local blocks, so references into them stay valid across the
// blocking disk and object-store calls. Starts by shipping what a previous
// incarnation left unshipped.
void Ingester::compaction_loop() {
  ship_blocks();
  for (;;) {
    sim_.sleep(setup_.options.head_compaction_interval);
    cut_blocks();
    write_blocks();
    stats_.wal_segments_dropped += wal_.drop_covered(blocks_.durable_boundaries());
    ship_blocks();
    stats_.blocks_expired += blocks_.expire(sim_.now(), setup_.options.retention_period);
  }
}

void Ingester::cut_blocks() {
  const std::uint64_t before = next_cut_sequence_;
  keep_blocks(heads_.cut_compactable());
  const sim::Duration idle = setup_.options.head_compaction_idle_timeout;
  for (const std::string& tenant : heads_.tenants()) {
    const Head* head = heads_.head(tenant);
    const auto last = last_append_.find(tenant);
    if (idle.ns() == 0 || head == nullptr || head->sample_count() == 0) continue;
    if (last != last_append_.end() && sim_.now() - last->second < idle) continue;
    ++stats_.idle_compactions;
    keep_blocks(heads_.cut_whole(tenant));
  }
  if (next_cut_sequence_ != before) wal_.rotate();
}

void Ingester::keep_blocks(std::vector<std::pair<std::string, Block>> cut) {
  for (auto& [tenant, block] : cut) {
    std::string id = LocalBlocks::block_id(sim_.node(node_).incarnation(), next_cut_sequence_++);
    sim_.event(node_, kTraceIngesterBlockCut, {std::string_view(id), block.min_time_ms(), block.max_time_ms()});
    blocks_.add(tenant, std::move(id), std::move(block));
    ++stats_.blocks_cut;
    count(fmt::format("blocks_cut_{}", zone_));
  }
}

void Ingester::write_blocks() {
  const LocalBlocks::PersistResult result = blocks_.persist();
  stats_.blocks_written += result.written;
  if (!result.ok) ++stats_.block_write_failures;
}

void Ingester::ship_blocks() {
  std::vector<LocalBlock>& blocks = blocks_.blocks();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].durable && !blocks[i].shipped_at && !upload(blocks[i])) return;
  }
}

// Retries the PUT until it succeeds; false if recording it in the shipper
// meta failed (the block is uploaded again at the next tick: same key).
bool Ingester::upload(LocalBlock& block) {
  const std::string source = fmt::format("{}/partition-{}-{}", zone_, setup_.partition, block.id);
  const std::string key = block_key(block.tenant, source, block.block->min_time_ms(), block.block->max_time_ms());
  const auto data = std::make_shared<const std::string>(block.block->serialize());
  for (int failures = 1; !objects_.put_shared(key, data).ok(); ++failures) {
    ++stats_.upload_failures;
    backoff(setup_.options.upload_backoff, failures);
  }
  if (!blocks_.mark_shipped(block, sim_.now())) return false;
  ++stats_.blocks_shipped;
  count(fmt::format("blocks_shipped_{}", zone_));
  sim_.event(node_, kTraceIngesterBlockShipped, {std::string_view(block.id)});
  return true;
}

void Ingester::count(const std::string& name) {
  if (setup_.counters != nullptr) ++(*setup_.counters)[name];
}

}  // namespace weir::models::mimir
