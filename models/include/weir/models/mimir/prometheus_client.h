// PrometheusClient: a Prometheus server remote-writing what it scrapes, as a
// Process on a client node: weir's main write workload.
//
// Every scrape_interval (the first scrape at a random offset within it, as
// Prometheus spreads targets) it takes one sample of each active series at
// the scrape time, valued properties::sample_value(series, ts) so checkers
// can verify any sample. Series look like
//   {__name__="weir_metric_<m>", instance="<node name>", job="<job>",
//    label_0="v<...>", ..., series="<n>"}
// (labels sorted by name, ids mimir::series_id(tenant, labels)). Churn:
// before each scrape after the first, the churn_per_scrape oldest series are
// replaced by new ones (a new "series" value).
// Samples enter the remote-write queue (queue_manager.go): shard
// series_id % shards, at most `capacity` samples queued per shard (a full
// queue blocks scraping, as a lagging WAL reader does). Each shard sends a
// batch when it holds max_samples_per_send samples, or when
// batch_send_deadline passed since its last send with samples pending; one
// TimeSeries per sample, as Prometheus builds them. Sending, retries and
// history recording: RemoteWriteSender. A shard sends one batch at a time.
//
// Ownership: built by the node's boot function (see boot()); its fibers run
// on the node. The History (may be null) must outlive the runs. A crash loses
// the queued samples (weir models no WAL for the client); a restart begins
// a new series generation from scratch, at the same series names.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/mimir/remote_write_sender.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/models/mimir/types.h"
#include "weir/sim/channel.h"
#include "weir/sim/node.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

struct PrometheusClientOptions {
  std::string tenant = "tenant-1";  // sent as X-Scope-OrgID
  std::string job = "weir";
  int series = 100;           // active series
  int metric_names = 10;      // the series spread over this many metric names
  int extra_labels = 2;       // label_0.. label_<n-1> on every series
  int churn_per_scrape = 0;   // series replaced before each scrape
  sim::Duration scrape_interval = sim::Duration::seconds(15);  // Prometheus examples use 15 s
  int scrapes = 0;            // 0: scrape until the node stops; else stop after this many and flush
  // queue_config: max_samples_per_send = 2000, batch_send_deadline = 5 s, capacity = 10000.
  int max_samples_per_send = 2000;
  sim::Duration batch_send_deadline = sim::Duration::seconds(5);
  int capacity = 10'000;
  int shards = 1;
  RemoteWriteOptions remote_write;

  std::optional<std::string> validate() const;
};

// The labels of the client's series number `index` (see above), sorted by name.
Labels scrape_series_labels(const PrometheusClientOptions& options, std::string_view instance, std::uint64_t index);
// Appends one TimeSeries holding one sample of `labels` at `timestamp_ms`,
// valued properties::sample_value(id, timestamp_ms), as the client sends it.
void add_scraped_sample(prometheus::WriteRequest& request, const Labels& labels, SeriesId id, TimestampMs timestamp_ms);

struct PrometheusClientStats {
  std::uint64_t scrapes = 0;
  std::uint64_t samples_scraped = 0;
  std::uint64_t batches = 0;
  std::uint64_t max_batch_samples = 0;
};

class PrometheusClient : public sim::Process {
 public:
  PrometheusClient(sim::Simulation& sim, sim::NodeId node, PrometheusClientOptions options,
                   properties::History* history);
  ~PrometheusClient() override;

  static sim::BootFn boot(PrometheusClientOptions options, properties::History* history);

  const PrometheusClientStats& stats() const { return stats_; }
  const RemoteWriteStats& remote_write_stats() const { return sender_.stats(); }
  // True once every scrape is done and every shard has sent its last batch.
  bool finished() const;

 private:
  struct Series {
    Labels labels;
    SeriesId id = 0;
  };
  struct Queued {
    std::shared_ptr<const Series> series;
    TimestampMs timestamp_ms = 0;
  };

  std::shared_ptr<const Series> make_series(std::uint64_t index) const;
  void scrape_loop();
  void scrape_once();
  void shard_loop(std::size_t shard);
  void send_batch(std::vector<Queued>& batch);

  sim::Simulation& sim_;
  sim::NodeId node_;
  PrometheusClientOptions options_;
  std::string instance_;
  sim::Random random_;
  RemoteWriteSender sender_;
  std::vector<sim::Channel<Queued>> queues_;
  std::vector<std::shared_ptr<const Series>> active_;  // oldest first
  std::uint64_t next_series_index_ = 0;
  std::size_t shards_running_ = 0;
  bool scraping_done_ = false;
  PrometheusClientStats stats_;
};

}  // namespace weir::models::mimir
