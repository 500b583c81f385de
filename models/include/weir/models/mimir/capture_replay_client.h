// CaptureReplayClient: replays real remote-write captures (capture_stats.h)
// into the simulated cluster, as a Process on a client node.
//
// The captures are loaded once, before the run (load_capture_set), and
// shared by every start of the client. On start, timestamps are shifted so
// that the earliest sample of the set falls at the current simulated time;
// each request is sent when the clock reaches its own earliest (shifted)
// sample (or back to back, without pacing), one at a time, with the
// RemoteWriteSender's retries. The capture's values are not
// sample_value-derived, so the history lists them explicitly.
//
// Ownership: built by the node's boot function (see boot()); the History
// (may be null) must outlive the runs. A restart replays the whole set again,
// shifted to the new start time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/decode_result.h"
#include "weir/models/mimir/remote_write_sender.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/sim/node.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

using CaptureSet = std::shared_ptr<const std::vector<prometheus::WriteRequest>>;

// Every capture of the folder, in file-name order (capture_stats.h).
DecodeResult<CaptureSet> load_capture_set(const std::filesystem::path& folder);

struct CaptureReplayOptions {
  CaptureSet captures;              // required
  std::string tenant = "tenant-1";  // the captures' prometheus.yml sets X-Scope-OrgID: tenant-1
  // Send each request at its earliest sample's shifted time; false: back to back.
  bool pace_by_timestamps = true;
  RemoteWriteOptions remote_write;

  std::optional<std::string> validate() const;
};

struct CaptureReplayStats {
  std::uint64_t requests_sent = 0;  // batches, not attempts
  std::uint64_t samples_sent = 0;
};

class CaptureReplayClient : public sim::Process {
 public:
  CaptureReplayClient(sim::Simulation& sim, sim::NodeId node, CaptureReplayOptions options,
                      properties::History* history);
  ~CaptureReplayClient() override;

  static sim::BootFn boot(CaptureReplayOptions options, properties::History* history);

  const CaptureReplayStats& stats() const { return stats_; }
  const RemoteWriteStats& remote_write_stats() const { return sender_.stats(); }
  bool finished() const { return finished_; }

 private:
  void replay();
  static std::int64_t earliest_timestamp_ms(const prometheus::WriteRequest& request);

  sim::Simulation& sim_;
  sim::NodeId node_;
  CaptureReplayOptions options_;
  RemoteWriteSender sender_;
  CaptureReplayStats stats_;
  bool finished_ = false;
};

}  // namespace weir::models::mimir
