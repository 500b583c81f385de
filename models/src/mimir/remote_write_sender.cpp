#include "weir/models/mimir/remote_write_sender.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "weir/models/mimir/services.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/remote_write.h"
#include "weir/sim/hash.h"
#include "weir/sim/network.h"

namespace weir::models::mimir {
namespace {

constexpr std::string_view kTrafficRemoteWrite = "remote_write";
constexpr std::uint64_t kHttpOverheadBytes = 256;  // request line and headers

// Whether a sample at `timestamp_ms` continues `run` at a constant step.
bool extends(properties::SampleRun& run, properties::TimestampMs timestamp_ms) {
  if (run.count == 1) return timestamp_ms > run.first_ms;
  return timestamp_ms == run.last_ms() + run.step_ms;
}

std::uint64_t samples_in(const std::vector<properties::SampleRun>& runs) {
  std::uint64_t total = 0;
  for (const auto& run : runs) total += run.count;
  return total;
}

}  // namespace

std::optional<std::string> RemoteWriteOptions::validate() const {
  if (distributors.empty()) return "remote_write needs at least one distributor";
  if (remote_timeout.ns() <= 0) return "remote_timeout must be positive";
  if (min_backoff.ns() <= 0) return "min_backoff must be positive";
  if (max_backoff < min_backoff) return "max_backoff must be at least min_backoff";
  if (max_attempts < 0) return "max_attempts must not be negative";
  return std::nullopt;
}

std::vector<properties::SampleRun> sample_runs(const std::string& tenant, const prometheus::WriteRequest& request,
                                               bool explicit_values) {
  std::vector<properties::SampleRun> runs;
  std::map<properties::SeriesId, std::size_t> last_run;
  for (const prometheus::TimeSeries& series : request.timeseries()) {
    const properties::SeriesId id = series_id(tenant, series.labels());
    for (const prometheus::Sample& sample : series.samples()) {
      auto it = last_run.find(id);
      if (it != last_run.end() && extends(runs[it->second], sample.timestamp())) {
        properties::SampleRun& run = runs[it->second];
        if (run.count == 1) run.step_ms = sample.timestamp() - run.first_ms;
        ++run.count;
        if (explicit_values) run.values.push_back(sample.value());
        continue;
      }
      properties::SampleRun run{id, sample.timestamp(), 0, 1, {}};
      if (explicit_values) run.values.push_back(sample.value());
      last_run[id] = runs.size();
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

RemoteWriteSender::RemoteWriteSender(sim::Simulation& sim, sim::NodeId node, std::string client, std::string tenant,
                                     RemoteWriteOptions options, properties::History* history, sim::Random random)
    : sim_(sim),
      node_(node),
      client_(std::move(client)),
      tenant_(std::move(tenant)),
      options_(std::move(options)),
      history_(history),
      random_(random),
      next_distributor_(0) {
  if (auto error = options_.validate()) throw std::invalid_argument(fmt::format("RemoteWriteOptions: {}", *error));
  next_distributor_ = static_cast<std::size_t>(random_.below(options_.distributors.size()));
}

sim::NodeId RemoteWriteSender::pick_distributor() {
  const std::size_t count = options_.distributors.size();
  if (options_.balancing == Balancing::random) return options_.distributors[random_.below(count)];
  return options_.distributors[next_distributor_++ % count];
}

bool RemoteWriteSender::recoverable(const Attempt& attempt) const {
  if (attempt.status == 0 || attempt.status / 100 == 5) return true;
  return attempt.status == 429 && options_.retry_on_http_429;
}

SendResult RemoteWriteSender::send(const prometheus::WriteRequest& request,
                                   const std::vector<properties::SampleRun>& runs) {
  const std::string body = encode_write_request(request);
  const std::uint64_t digest = sim::fnv1a64(body);
  const std::uint64_t samples = samples_in(runs);
  SendResult result;
  sim::Duration backoff = options_.min_backoff;
  for (;;) {
    ++result.attempts;
    const bool final_attempt = options_.max_attempts > 0 && result.attempts >= options_.max_attempts;
    const Attempt answer = attempt(body, digest, runs, final_attempt);
    result.last_status = answer.status;
    result.last_message = answer.message;
    if (answer.status / 100 == 2) {
      result.outcome = SendOutcome::acked;
      ++stats_.batches_acked;
      stats_.samples_acked += samples;
      return result;
    }
    if (!recoverable(answer) || final_attempt) {
      result.outcome = recoverable(answer) ? SendOutcome::gave_up : SendOutcome::dropped;
      ++(recoverable(answer) ? stats_.batches_given_up : stats_.batches_dropped);
      stats_.samples_dropped += samples;
      return result;
    }
    ++stats_.retries;
    sim_.sleep(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

RemoteWriteSender::Attempt RemoteWriteSender::attempt(const std::string& body, std::uint64_t body_digest,
                                                      const std::vector<properties::SampleRun>& runs,
                                                      bool final_attempt) {
  ++stats_.attempts;
  const sim::NodeId target = pick_distributor();
  std::optional<properties::WriteId> write;
  if (history_ != nullptr) write = history_->record_write_invoke(tenant_, client_, sim_.now().ns(), runs);

  PushRequest push;
  push.tenant = tenant_;
  push.body = body;
  push.headers = {{"Content-Encoding", "snappy"},
                  {"Content-Type", "application/x-protobuf"},
                  {"X-Prometheus-Remote-Write-Version", "0.1.0"},
                  {"X-Scope-OrgID", tenant_}};
  push.trace_write = write ? static_cast<std::int64_t>(*write) : -1;
  const std::uint64_t bytes = body.size() + kHttpOverheadBytes;
  auto reply = sim_.network().call(node_, target,
                                                 sim::Payload{std::move(push), bytes, body_digest, kTrafficRemoteWrite},
                                                 options_.remote_timeout);
  Attempt answer;
  if (reply.ok()) {
    answer.status = reply.value().http_status;
    answer.message = std::move(reply.value().message);
  } else {
    answer.message = "no answer within remote_timeout";
    ++stats_.no_answers;
  }
  if (answer.status == 429) ++stats_.answers_429;
  if (answer.status / 100 == 5) ++stats_.answers_5xx;
  sim_.event(node_, kTraceRemoteWriteAttempt, {write ? static_cast<std::int64_t>(*write) : -1, answer.status});

  if (write) {
    properties::WriteOutcome outcome = properties::WriteOutcome::timed_out;
    if (answer.status / 100 == 2) {
      outcome = properties::WriteOutcome::acked;
    } else if (answer.status / 100 == 4) {
      outcome = properties::WriteOutcome::rejected;
    } else if (final_attempt) {
      outcome = properties::WriteOutcome::failed;
    }
    const std::string detail =
        answer.status == 0 ? answer.message : fmt::format("HTTP {}: {}", answer.status, answer.message);
    history_->record_write_complete(*write, sim_.now().ns(), outcome, detail);
  }
  return answer;
}

}  // namespace weir::models::mimir
