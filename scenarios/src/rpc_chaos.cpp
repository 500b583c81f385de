#include "weir/scenarios/rpc_chaos.h"

#include <chrono>
#include <map>
#include <set>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "weir/sim/errors.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {
namespace {

using sim::Duration;
using sim::NodeId;
using sim::Payload;
using sim::Simulation;

constexpr const char* kZones[] = {"zone-a", "zone-b", "zone-c"};
constexpr const char* kLog = "store.log";
constexpr std::uint64_t kEntryBytes = 16;

struct Put {
  using Reply = bool;  // true: durable (or, with the planted bug, about to be)
  static constexpr std::string_view kService = "put";
  NodeId client;
  std::uint64_t key;
};
struct Ping {
  using Reply = bool;
  static constexpr std::string_view kService = "ping";
};

// A durable store: each put is a fixed-size log entry, fsynced before the ack
// (or after it, with the planted bug).
class Store : public sim::Process {
 public:
  Store(Simulation& sim, NodeId id, const RpcChaosOptions& options) {
    sim.network().serve<Put>(id, [&sim, id, bug = options.ack_before_fsync](NodeId, const Put& put) {
      auto& disk = sim.node(id).disk();
      disk.append(kLog, fmt::format("{:08x}{:08x}", put.client, put.key));
      if (!bug) disk.fsync(kLog);
      if (bug) {
        // Acknowledge now; the fsync happens a little later, in the background.
        sim.spawn(id, [&sim, id] {
          sim.sleep(Duration::milliseconds(20));
          sim.node(id).disk().fsync(kLog);
        });
      }
      return Payload{true, 1, put.key};
    });
    sim.network().serve<Ping>(id, [](NodeId, const Ping&) { return Payload{true, 1, 0}; });
  }
};

// What the clients were told: acknowledged puts, by the store that acked them.
using AckedPuts = std::map<NodeId, std::vector<Put>>;

void run_client(Simulation& sim, NodeId self, const RpcChaosOptions& options, AckedPuts& acked) {
  sim::Random random = sim.random("client").fork(std::to_string(self));
  for (int i = 0; i < options.puts_per_client; ++i) {
    sim.sleep(Duration::nanoseconds(random.uniform_int(1, options.put_interval_max.ns())));
    const auto target = static_cast<NodeId>(random.below(static_cast<std::uint64_t>(options.nodes)));
    const Put put{self, static_cast<std::uint64_t>(i)};
    auto reply = sim.network().call(self, target, Payload{put, kEntryBytes, put.key}, options.rpc_timeout);
    if (reply.ok()) acked[target].push_back(put);
  }
}

void inject_faults(Simulation& sim, const RpcChaosOptions& options) {
  sim::Random random = sim.random("faults");
  const Duration gap_max = options.safety_phase / (options.faults + 1);
  for (int i = 0; i < options.faults; ++i) {
    sim.sleep(Duration::nanoseconds(random.uniform_int(1, gap_max.ns())));
    const auto victim = static_cast<NodeId>(random.below(static_cast<std::uint64_t>(options.nodes)));
    switch (random.below(3)) {
      case 0:
        sim.restart(victim);
        break;
      case 1:
        sim.crash(victim);
        break;
      default:
        sim.network().isolate_zone(kZones[random.below(3)]);
        break;
    }
  }
}

void heal(Simulation& sim, const RpcChaosOptions& options) {
  sim.network().repair_all();
  for (NodeId id = 0; id < static_cast<NodeId>(options.nodes); ++id) sim.start(id);
}

// Crashes every store (only what reached its disk counts), then looks for
// each acknowledged put in the log of the store that acknowledged it.
std::vector<properties::Violation> check_durability(Simulation& sim, const AckedPuts& acked) {
  std::vector<properties::Violation> violations;
  for (const auto& [store, puts] : acked) {
    sim.crash(store);
    const std::string log = sim.node(store).disk().peek(kLog).value_or("");
    std::set<std::pair<NodeId, std::uint64_t>> present;
    for (std::size_t at = 0; at + kEntryBytes <= log.size(); at += kEntryBytes) {
      present.emplace(static_cast<NodeId>(std::stoul(log.substr(at, 8), nullptr, 16)),
                      std::stoull(log.substr(at + 8, 8), nullptr, 16));
    }
    for (const Put& put : puts) {
      if (present.count({put.client, put.key}) != 0) continue;
      violations.push_back({"no_lost_acked_writes",
                            fmt::format("put {} from {} was acknowledged by {} but is not in its log",
                                        put.key, sim.node(put.client).name(), sim.node(store).name())});
    }
  }
  return violations;
}

// After healing, every store must answer a ping from every client zone.
std::vector<properties::Violation> check_liveness(Simulation& sim, const RpcChaosOptions& options,
                                                  const std::vector<NodeId>& clients) {
  std::map<std::pair<NodeId, NodeId>, bool> answered;
  for (NodeId client : clients) {
    sim.spawn(client, [&, client] {
      for (NodeId id = 0; id < static_cast<NodeId>(options.nodes); ++id) {
        answered[{client, id}] = sim.network().call(client, id, Payload{Ping{}, 1, 0}, options.liveness_bound).ok();
      }
    });
  }
  sim.run_for(options.liveness_bound * (options.nodes + 1));
  std::vector<properties::Violation> violations;
  for (const auto& [pair, ok] : answered) {
    if (ok) continue;
    violations.push_back({"liveness", fmt::format("{} did not answer a ping from {} after healing",
                                                  sim.node(pair.second).name(), sim.node(pair.first).name())});
  }
  return violations;
}

}  // namespace

std::optional<std::string> RpcChaosOptions::validate() const {
  if (nodes < 1 || nodes > 1000) return "nodes must be in [1, 1000]";
  if (puts_per_client < 0) return "puts_per_client must not be negative";
  if (faults < 0) return "faults must not be negative";
  if (put_interval_max <= Duration()) return "put_interval_max must be positive";
  if (rpc_timeout <= Duration()) return "rpc_timeout must be positive";
  return std::nullopt;
}

RunResult run_rpc_chaos(const RpcChaosOptions& options, std::uint64_t seed) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunResult result;
  result.scenario = "rpc-chaos";
  result.seed = seed;
  AckedPuts acked;
  Simulation sim({.seed = seed, .shuffle_same_instant = options.shuffle_same_instant});
  try {
    for (int i = 0; i < options.nodes; ++i) {
      const NodeId id = sim.add_node({fmt::format("store-{}", i), kZones[i % 3],
                                      [&options](Simulation& s, NodeId n) { return std::make_unique<Store>(s, n, options); },
                                      {}});
      sim.start(id);
    }
    // One client node per zone; faults partition them but never crash them.
    std::vector<NodeId> clients;
    for (const char* zone : kZones) {
      clients.push_back(sim.add_node({fmt::format("client-{}", zone), zone, nullptr, {}}));
      sim.start(clients.back());
      sim.spawn(clients.back(), [&, self = clients.back()] { run_client(sim, self, options, acked); });
    }
    sim.spawn(sim::kNoNode, [&] { inject_faults(sim, options); });
    sim.run_until(sim::Time::zero() + options.safety_phase);
    heal(sim, options);
    result.violations = check_liveness(sim, options, clients);
    const auto lost = check_durability(sim, acked);
    result.violations.insert(result.violations.begin(), lost.begin(), lost.end());
    // What was judged: every acknowledged put, and a ping per (client, store).
    std::uint64_t puts = 0;
    for (const auto& [store, acked_by_store] : acked) puts += acked_by_store.size();
    result.checked = {{"no_lost_acked_writes", puts},
                      {"liveness", clients.size() * static_cast<std::uint64_t>(options.nodes)}};
  } catch (const sim::SimulatorError& e) {
    result.simulator_error = e.what();
  }
  result.trace_hash = sim.trace_hash();
  result.sim_seconds = sim.now().seconds_f();
  result.events = sim.events_processed();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace weir::scenarios
