// MetadataCache: a Kafka client's view of the cluster (brokers, and the leader
// of each partition), kept fresh by a refresher fiber.
//
// Like franz-go, it refreshes periodically (every `max_age`) and when a
// client asks for it after an error; a triggered refresh waits until
// `min_age` has passed since the last successful one (Mimir sets both to
// 10 s), unless it is urgent (franz-go's ForceMetadataRefresh, which Mimir's
// reader calls on NOT_LEADER_OR_FOLLOWER and friends). A Metadata request
// goes to one contact point at a time (brokers from the last answer, the
// client's zone first, then the bootstrap nodes), rotating on failure.
//
// Ownership: created by a client (Producer, Consumer) through `create`, and
// shared with the refresher fiber, which runs on the client's node and keeps
// the cache alive until `close()` or a crash of that node. Listeners are
// called after each successful refresh, from the refresher fiber.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/client/connections.h"
#include "weir/models/kafka/client/retry_backoff.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/channel.h"
#include "weir/sim/future.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka {

inline constexpr sim::TraceKind kTraceMetadataRefresh{"kafka.client.metadata_refresh"};

struct MetadataCacheOptions {
  std::string client_zone;           // sent with each request (diskless logs answer zone-locally)
  std::vector<std::string> topics;   // topics to ask about; empty = all
  // Triggered refreshes wait this long after the last success
  // (kgo.MetadataMinAge; Mimir: 10 s).
  sim::Duration min_age = sim::Duration::seconds(10);
  // Periodic refresh interval (kgo.MetadataMaxAge; Mimir: 10 s).
  sim::Duration max_age = sim::Duration::seconds(10);
  // How long to wait for one Metadata answer (franz-go: the client's request
  // timeout overhead bounds requests that carry no timeout of their own; 10 s
  // by default, 2 s in Mimir's writer).
  sim::Duration request_timeout = sim::Duration::seconds(10);
  // How long connecting to a broker may take (kgo.DialTimeout, Mimir 2 s).
  sim::Duration dial_timeout = sim::Duration::seconds(2);
  RetryBackoff retry_backoff;        // between failed attempts

  std::optional<std::string> validate() const;
};

// Where to send requests for one partition.
struct PartitionRoute {
  sim::NodeId leader = sim::kNoNode;
  std::int32_t leader_epoch = -1;
};

class MetadataCache {
 public:
  static std::shared_ptr<MetadataCache> create(sim::Simulation& sim, sim::NodeId self,
                                               std::vector<sim::NodeId> bootstrap, MetadataCacheOptions options);
  MetadataCache(const MetadataCache&) = delete;
  MetadataCache& operator=(const MetadataCache&) = delete;

  // The partition's leader as last learned; nothing when unknown or in error.
  std::optional<PartitionRoute> route(const TopicPartition& tp) const;
  // Nodes to send cluster-wide requests (FindCoordinator) to, in order.
  std::vector<sim::NodeId> contact_points() const;

  // Asks for a refresh, no sooner than min_age after the last one.
  void trigger();
  // Asks for a refresh as soon as possible.
  void trigger_now();
  // Blocks the calling fiber until the next successful refresh or the
  // deadline; true if one happened.
  bool wait_for_refresh(sim::Time deadline);

  void add_listener(std::function<void()> listener) { listeners_.push_back(std::move(listener)); }
  // Stops the refresher (at its next wake-up). Safe to call more than once.
  void close();

  std::uint64_t refreshes() const { return refreshes_; }
  std::uint64_t failed_refreshes() const { return failed_refreshes_; }
  bool known() const { return refreshes_ > 0; }

 private:
  MetadataCache(sim::Simulation& sim, sim::NodeId self, std::vector<sim::NodeId> bootstrap,
                MetadataCacheOptions options);
  void start(std::shared_ptr<MetadataCache> self);
  void run_refresher();
  sim::Time next_due() const;
  bool refresh_once();
  void apply(const MetadataResponse& response);
  void wake_refresher();

  sim::Simulation& sim_;
  sim::NodeId self_;
  std::vector<sim::NodeId> bootstrap_;
  MetadataCacheOptions options_;
  sim::Random random_;
  Connections connections_;
  sim::Channel<int> wake_;
  sim::Promise<bool> refreshed_;
  std::vector<std::function<void()>> listeners_;

  std::vector<BrokerInfo> brokers_;
  // Routes by topic, then partition number (a leader of kNoNode where there
  // is none): route() runs for every record produced.
  std::map<std::string, std::vector<PartitionRoute>, std::less<>> routes_by_topic_;
  std::size_t next_contact_ = 0;
  bool requested_ = false;
  bool requested_now_ = false;
  bool closed_ = false;
  std::optional<sim::Time> last_success_;
  int consecutive_failures_ = 0;
  std::uint64_t refreshes_ = 0;
  std::uint64_t failed_refreshes_ = 0;
};

}  // namespace weir::models::kafka
