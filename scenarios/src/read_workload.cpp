#include "weir/scenarios/read_workload.h"

#include <fmt/format.h>

#include "weir/models/mimir/services.h"
#include "weir/sim/network.h"

namespace weir::scenarios {
namespace {

using properties::ReadConsistency;

constexpr const char* kTenant = "tenant-1";
// Readers pick among this many of the newest acknowledged writes.
constexpr std::size_t kRecentWrites = 8;
constexpr int kReadersMax = 64;
constexpr int kRetriesMax = 10;

}  // namespace

std::optional<std::string> ReadWorkloadOptions::validate() const {
  if (strong_readers < 0 || strong_readers > kReadersMax) return fmt::format("strong_readers must be in [0, {}]", kReadersMax);
  if (eventual_readers < 0 || eventual_readers > kReadersMax) {
    return fmt::format("eventual_readers must be in [0, {}]", kReadersMax);
  }
  if (interval < sim::Duration()) return "read interval must not be negative";
  if (timeout <= sim::Duration()) return "read timeout must be positive";
  if (strong_retries < 0 || strong_retries > kRetriesMax) return fmt::format("strong_retries must be in [0, {}]", kRetriesMax);
  if (retry_backoff <= sim::Duration()) return "read retry_backoff must be positive";
  if (series_per_read < 1) return "series_per_read must be at least 1";
  return std::nullopt;
}

ReadWorkload::ReadWorkload(sim::Simulation& sim, sim::NodeId client, sim::NodeId query_frontend,
                           properties::History& history, ReadWorkloadOptions options)
    : sim_(sim), client_(client), query_frontend_(query_frontend), history_(history), options_(options) {}

void ReadWorkload::start() {
  if (options_.interval == sim::Duration()) return;
  const int readers = options_.strong_readers + options_.eventual_readers;
  for (int i = 0; i < readers; ++i) {
    const auto consistency = i < options_.strong_readers ? ReadConsistency::strong : ReadConsistency::eventual;
    ++running_;
    sim_.spawn(client_, [this, i, consistency] { run_reader(i, consistency); });
  }
}

void ReadWorkload::run_reader(int index, ReadConsistency consistency) {
  sim::Random random = sim_.random("pipeline.reader").fork(fmt::format("reader-{}", index));
  const std::int64_t interval_ns = options_.interval.ns();
  while (!stopping_) {
    sim_.sleep(sim::Duration::nanoseconds(random.uniform_int(interval_ns / 2, interval_ns + interval_ns / 2)));
    if (stopping_) break;
    request(consistency, random);
  }
  --running_;
}

void ReadWorkload::request(ReadConsistency consistency, sim::Random& random) {
  const auto series = pick_series(random);
  if (series.empty()) return;  // nothing acknowledged yet
  const auto selector = properties::make_selector(series, 0, sim_.now().ms());
  const properties::ReadId first = history_.record_read_invoke(consistency, selector, sim_.now().ns());
  if (attempt(first) || consistency != ReadConsistency::strong) return;
  sim::Duration backoff = options_.retry_backoff;
  for (int retry = 0; retry < options_.strong_retries; ++retry, backoff = backoff * 2) {
    sim_.sleep(backoff);
    if (attempt(history_.record_read_retry(first, sim_.now().ns()))) return;
  }
}

bool ReadWorkload::attempt(properties::ReadId id) {
  const properties::Read& read = history_.read(id);
  const models::mimir::QueryRequest request{kTenant, read.selector, read.consistency, static_cast<std::int64_t>(id)};
  auto reply = sim_.network().call(
      client_, query_frontend_,
      sim::Payload{request, 64 + 8 * read.selector.series.size(), id, "query"}, options_.timeout);
  const properties::SimTime now = sim_.now().ns();
  if (!reply.ok()) {
    history_.record_read_failed(id, now, "", "", "query timed out");
    return false;
  }
  models::mimir::QueryResponse& answer = reply.value();
  if (!answer.ok) {
    history_.record_read_failed(id, now, answer.zone, answer.querier, answer.error);
    return false;
  }
  history_.record_read_complete(id, now, answer.zone, answer.querier, std::move(answer.series));
  return true;
}

// The series of one of the newest acknowledged writes, at most series_per_read.
std::vector<properties::SeriesId> ReadWorkload::pick_series(sim::Random& random) const {
  std::vector<const properties::Write*> recent;
  const auto& writes = history_.writes();
  for (auto it = writes.rbegin(); it != writes.rend() && recent.size() < kRecentWrites; ++it) {
    if (it->acked()) recent.push_back(&*it);
  }
  if (recent.empty()) return {};
  const properties::Write& write = *recent[random.below(recent.size())];
  std::vector<properties::SeriesId> series;
  for (const auto& run : write.samples) {
    if (series.size() == static_cast<std::size_t>(options_.series_per_read)) break;
    series.push_back(run.series);
  }
  return series;
}

}  // namespace weir::scenarios
