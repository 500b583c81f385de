#include "weir/models/mimir/capture_replay_client.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "weir/models/capture_stats.h"

namespace weir::models::mimir {
namespace {

CaptureReplayOptions checked(CaptureReplayOptions options) {
  if (auto error = options.validate()) throw std::invalid_argument(fmt::format("CaptureReplayOptions: {}", *error));
  return options;
}

constexpr std::int64_t kNoSample = std::numeric_limits<std::int64_t>::max();

}  // namespace

DecodeResult<CaptureSet> load_capture_set(const std::filesystem::path& folder) {
  auto files = list_captures(folder);
  if (!files) return files.error();
  auto captures = std::make_shared<std::vector<prometheus::WriteRequest>>();
  for (const auto& file : files.value()) {
    auto request = load_capture(file);
    if (!request) return request.error();
    captures->push_back(std::move(request).value());
  }
  return CaptureSet(std::move(captures));
}

std::optional<std::string> CaptureReplayOptions::validate() const {
  if (!captures) return "captures must be loaded (load_capture_set)";
  if (tenant.empty()) return "tenant must not be empty";
  if (auto error = remote_write.validate()) return fmt::format("remote_write: {}", *error);
  return std::nullopt;
}

CaptureReplayClient::CaptureReplayClient(sim::Simulation& sim, sim::NodeId node, CaptureReplayOptions options,
                                         properties::History* history)
    : sim_(sim),
      node_(node),
      options_(checked(std::move(options))),
      sender_(sim, node, sim.node(node).name(), options_.tenant, options_.remote_write, history,
              sim.random("mimir.capture_replay").fork(sim.node(node).name())) {
  sim.spawn(node, [this] { replay(); });
}

CaptureReplayClient::~CaptureReplayClient() = default;

sim::BootFn CaptureReplayClient::boot(CaptureReplayOptions options, properties::History* history) {
  return [options = std::move(options), history](sim::Simulation& sim,
                                                 sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<CaptureReplayClient>(sim, node, options, history);
  };
}

std::int64_t CaptureReplayClient::earliest_timestamp_ms(const prometheus::WriteRequest& request) {
  std::int64_t earliest = kNoSample;
  for (const auto& series : request.timeseries()) {
    for (const auto& sample : series.samples()) earliest = std::min(earliest, sample.timestamp());
  }
  return earliest;
}

void CaptureReplayClient::replay() {
  const std::vector<prometheus::WriteRequest>& captures = *options_.captures;
  std::int64_t base_ms = kNoSample;
  for (const auto& capture : captures) base_ms = std::min(base_ms, earliest_timestamp_ms(capture));
  const sim::Time start = sim_.now();
  if (base_ms == kNoSample) base_ms = start.ms();
  const std::int64_t shift_ms = start.ms() - base_ms;
  for (const auto& capture : captures) {
    const std::int64_t earliest = earliest_timestamp_ms(capture);
    if (options_.pace_by_timestamps && earliest != kNoSample) {
      const sim::Time due = start + sim::Duration::milliseconds(earliest - base_ms);
      if (due > sim_.now()) sim_.sleep_until(due);
    }
    prometheus::WriteRequest shifted = capture;
    for (auto& series : *shifted.mutable_timeseries()) {
      for (auto& sample : *series.mutable_samples()) sample.set_timestamp(sample.timestamp() + shift_ms);
    }
    const auto runs = sample_runs(options_.tenant, shifted, true);
    for (const auto& run : runs) stats_.samples_sent += run.count;
    ++stats_.requests_sent;
    sender_.send(shifted, runs);
  }
  finished_ = true;
}

}  // namespace weir::models::mimir
