// FaultInjector: each fault kind, applied to a small pipeline world, takes
// effect at its time on its target and heals after its duration; the swarm
// is deterministic per seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>

#include "weir/properties/history.h"
#include "weir/scenarios/fault_injector.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/pipeline_world.h"
#include "weir/scenarios/scenario_spec.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

PipelineOptions tiny_world(LogFlavour flavour) {
  PipelineOptions o;
  o.log.flavour = flavour;
  o.log.partitions = 2;
  o.series_per_client = 5;
  o.write_phase = sim::Duration::seconds(30);
  return o;
}

struct Harness {
  explicit Harness(LogFlavour flavour, FaultPlan plan) : sim({.seed = 7}) {
    world = std::make_unique<PipelineWorld>(sim, tiny_world(flavour), history);
    injector = std::make_unique<FaultInjector>(*world, plan, sim::Duration::seconds(30));
    injector->start();
  }
  ~Harness() { sim.shutdown(); }

  weir::properties::History history;
  sim::Simulation sim;
  std::unique_ptr<PipelineWorld> world;
  std::unique_ptr<FaultInjector> injector;
};

bool up(Harness& h, sim::NodeId node) { return h.sim.node(node).up(); }

// One fault of `kind` on target 0 from 2 s to 6 s: `during` holds at 3 s
// and `after` at 7 s.
void check_fault(LogFlavour flavour, FaultKind kind, double magnitude, const std::function<bool(Harness&)>& during,
                 const std::function<bool(Harness&)>& after) {
  INFO(to_string(kind) << " on " << to_string(flavour));
  FaultPlan plan;
  plan.faults.push_back({kind, sim::Duration::seconds(2), sim::Duration::seconds(4), 0, magnitude});
  Harness h(flavour, plan);
  h.sim.run_until(sim::Time::zero() + sim::Duration::milliseconds(1500));
  CHECK(h.injector->applied().empty());
  CHECK(after(h));
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(3));
  CHECK(during(h));
  REQUIRE(h.injector->applied().size() == 1);
  const std::string& described = h.injector->applied().front();
  CHECK(described.rfind(std::string("t=2.0s ").append(to_string(kind)), 0) == 0);
  CHECK(described.find(" for 4.0s") != std::string::npos);
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(7));
  CHECK(after(h));
}

}  // namespace

TEST_CASE("fault injector: ingester faults take the ingester down, then restart it", "[faults]") {
  for (FaultKind kind : {FaultKind::ingester_kill, FaultKind::ingester_kill_torn_wal, FaultKind::ingester_stop}) {
    check_fault(
        LogFlavour::classic, kind, 0,
        [](Harness& h) {
          return !up(h, h.world->ingesters()[0]) && up(h, h.world->ingesters()[1]) &&
                 !h.sim.node(h.world->ingesters()[0]).disk().options().torn_last_write;
        },
        [](Harness& h) { return up(h, h.world->ingesters()[0]); });
  }
}

TEST_CASE("fault injector: log-node faults crash brokers and agents, then restart them", "[faults]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    const auto serving = [](Harness& h, std::size_t i) { return h.world->log().serving_nodes()[i]; };
    check_fault(
        flavour, FaultKind::broker_crash, 0, [&](Harness& h) { return !up(h, serving(h, 0)) && up(h, serving(h, 1)); },
        [&](Harness& h) { return up(h, serving(h, 0)); });
    check_fault(
        flavour, FaultKind::brokers_crash_together, 2,
        [&](Harness& h) { return !up(h, serving(h, 0)) && !up(h, serving(h, 1)) && up(h, serving(h, 2)); },
        [&](Harness& h) { return up(h, serving(h, 0)) && up(h, serving(h, 1)); });
    check_fault(
        flavour, FaultKind::broker_disk_loss, 0,
        [&](Harness& h) { return !up(h, serving(h, 0)) && h.sim.node(serving(h, 0)).disk().used_bytes() == 0; },
        [&](Harness& h) { return up(h, serving(h, 0)); });
  }
}

TEST_CASE("fault injector: partitions cut zones and groups off, then are repaired", "[faults]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    // Zone 0 of the log is zone-a: the first ingester and the first distributor live there.
    const auto a = [](Harness& h) { return h.world->distributors()[0]; };
    const auto b = [](Harness& h) { return h.world->distributors()[1]; };
    check_fault(
        flavour, FaultKind::zone_partition, 0,
        [&](Harness& h) { return !h.sim.network().reachable(a(h), b(h)) && !h.sim.network().reachable(b(h), a(h)); },
        [&](Harness& h) { return h.sim.network().reachable(a(h), b(h)) && h.sim.network().active_partitions() == 0; });
    check_fault(
        flavour, FaultKind::zone_partition_one_way, 0,
        [&](Harness& h) { return !h.sim.network().reachable(a(h), b(h)) && h.sim.network().reachable(b(h), a(h)); },
        [&](Harness& h) { return h.sim.network().reachable(a(h), b(h)) && h.sim.network().active_partitions() == 0; });
    check_fault(
        flavour, FaultKind::group_partition, 0,
        [&](Harness& h) {
          const sim::NodeId log_node = h.world->log().serving_nodes()[0];
          const auto& ingesters = h.world->ingesters();  // zone-a's first, then zone-b's
          return !h.sim.network().reachable(ingesters.front(), log_node) &&
                 h.sim.network().reachable(ingesters.back(), log_node);
        },
        [&](Harness& h) { return h.sim.network().active_partitions() == 0; });
  }
}

TEST_CASE("fault injector: object-store faults set the store's knobs, then reset them", "[faults]") {
  const auto store = [](Harness& h) { return h.world->object_store().faults(); };
  const auto healthy = [&](Harness& h) {
    return store(h).latency_multiplier == 1.0 && store(h).stalls.empty() && store(h).slow_down_probability == 0;
  };
  check_fault(LogFlavour::diskless, FaultKind::object_store_slow, 8,
              [&](Harness& h) { return store(h).latency_multiplier == 8.0; }, healthy);
  check_fault(LogFlavour::classic, FaultKind::object_store_stall, 0,
              [&](Harness& h) { return store(h).stalls.size() == 1; }, healthy);
  check_fault(LogFlavour::diskless, FaultKind::object_store_slow_down, 0.25,
              [&](Harness& h) { return store(h).slow_down_probability == 0.25; }, healthy);
}

TEST_CASE("fault injector: disk and network faults set their knobs, then reset them", "[faults]") {
  const auto disk = [](Harness& h) { return h.sim.node(h.world->ingesters()[0]).disk().options(); };
  check_fault(LogFlavour::classic, FaultKind::disk_slow, 0, [&](Harness& h) { return disk(h).slow_multiplier == 10; },
              [&](Harness& h) { return disk(h).slow_multiplier == 1; });
  check_fault(LogFlavour::classic, FaultKind::disk_fsync_errors, 0.5,
              [&](Harness& h) { return disk(h).fsync_error_probability == 0.5; },
              [&](Harness& h) { return disk(h).fsync_error_probability == 0; });
  const auto net = [](Harness& h) { return h.sim.network().options(); };
  check_fault(LogFlavour::classic, FaultKind::network_delay, 0.4,
              [&](Harness& h) { return net(h).delay_probability == 0.4; },
              [&](Harness& h) { return net(h).delay_probability == 0; });
  check_fault(LogFlavour::diskless, FaultKind::network_drop, 0,
              [&](Harness& h) { return net(h).drop_probability == 0.05; },
              [&](Harness& h) { return net(h).drop_probability == 0; });
}

TEST_CASE("fault injector: a full disk stops growing from what it holds, corrupt reads flip bytes, both reset",
          "[faults]") {
  const auto disk = [](Harness& h) { return h.sim.node(h.world->ingesters()[0]).disk().options(); };
  check_fault(LogFlavour::classic, FaultKind::disk_full, 0,
              [&](Harness& h) {
                return disk(h).capacity_bytes > 0 &&
                       disk(h).capacity_bytes == std::max<std::uint64_t>(
                                                     h.sim.node(h.world->ingesters()[0]).disk().used_bytes(), 1);
              },
              [&](Harness& h) { return disk(h).capacity_bytes == 0; });
  check_fault(LogFlavour::diskless, FaultKind::disk_corrupt_reads, 0.2,
              [&](Harness& h) { return disk(h).corrupt_read_probability == 0.2; },
              [&](Harness& h) { return disk(h).corrupt_read_probability == 0; });
  const auto net = [](Harness& h) { return h.sim.network().options(); };
  check_fault(LogFlavour::classic, FaultKind::network_duplicate, 0.07,
              [&](Harness& h) { return net(h).duplicate_probability == 0.07; },
              [&](Harness& h) { return net(h).duplicate_probability == 0; });
}

TEST_CASE("fault injector: log-node disk faults hit the log node's disk, not the ingesters'", "[faults]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    const auto log_disk = [](Harness& h) { return h.sim.node(h.world->log().serving_nodes()[0]).disk().options(); };
    const auto ingester_disk = [](Harness& h) { return h.sim.node(h.world->ingesters()[0]).disk().options(); };
    check_fault(
        flavour, FaultKind::log_disk_slow, 6,
        [&](Harness& h) { return log_disk(h).slow_multiplier == 6 && ingester_disk(h).slow_multiplier == 1; },
        [&](Harness& h) { return log_disk(h).slow_multiplier == 1; });
    check_fault(
        flavour, FaultKind::log_disk_fsync_errors, 0.3,
        [&](Harness& h) { return log_disk(h).fsync_error_probability == 0.3; },
        [&](Harness& h) { return log_disk(h).fsync_error_probability == 0; });
    check_fault(
        flavour, FaultKind::log_disk_full, 0,
        [&](Harness& h) { return log_disk(h).capacity_bytes > 0 && ingester_disk(h).capacity_bytes == 0; },
        [&](Harness& h) { return log_disk(h).capacity_bytes == 0; });
    check_fault(
        flavour, FaultKind::log_disk_corrupt_reads, 0.1,
        [&](Harness& h) { return log_disk(h).corrupt_read_probability == 0.1; },
        [&](Harness& h) { return log_disk(h).corrupt_read_probability == 0; });
  }
}

TEST_CASE("fault injector: a control-plane crash takes the controller or the metadata service down, then back",
          "[faults]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    const auto control = [](Harness& h) {
      const auto serving = h.world->log().serving_nodes();
      for (sim::NodeId node : h.world->log().all_nodes()) {
        if (std::find(serving.begin(), serving.end(), node) == serving.end()) return node;
      }
      return sim::kNoNode;
    };
    check_fault(
        flavour, FaultKind::log_control_crash, 0,
        [&](Harness& h) {
          const auto serving = h.world->log().serving_nodes();
          return control(h) != sim::kNoNode && !up(h, control(h)) &&
                 std::all_of(serving.begin(), serving.end(), [&](sim::NodeId n) { return up(h, n); });
        },
        [&](Harness& h) { return up(h, control(h)); });
  }
}

TEST_CASE("fault injector: every kind on every log is applied once, and its heal leaves a healthy world",
          "[faults]") {
  for (LogFlavour flavour : kAllLogFlavours) {
    for (FaultKind kind : kAllFaultKinds) {
      INFO(to_string(kind) << " on " << to_string(flavour));
      FaultPlan plan;
      plan.faults.push_back({kind, sim::Duration::seconds(2), sim::Duration::seconds(4), 0, 0});
      Harness h(flavour, plan);
      h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(8));
      CHECK(h.injector->applied().size() == 1);
      for (sim::NodeId node : h.world->faultable_nodes()) CHECK(up(h, node));
      for (sim::NodeId node : h.world->faultable_nodes()) {
        const auto& disk = h.sim.node(node).disk().options();
        CHECK(disk.slow_multiplier == 1);
        CHECK(disk.fsync_error_probability == 0);
        CHECK(disk.capacity_bytes == 0);
        CHECK(disk.corrupt_read_probability == 0);
        CHECK_FALSE(disk.torn_last_write);
      }
      CHECK(h.sim.network().active_partitions() == 0);
      CHECK(h.sim.network().options().drop_probability == 0);
      CHECK(h.sim.network().options().delay_probability == 0);
      CHECK(h.sim.network().options().duplicate_probability == 0);
      const auto store = h.world->object_store().faults();
      CHECK(store.latency_multiplier == 1);
      CHECK(store.slow_down_probability == 0);
      CHECK(store.stalls.empty());
    }
  }
}

TEST_CASE("fault injector: overlapping faults on one node keep it down until the last heals", "[faults]") {
  FaultPlan plan;
  plan.faults.push_back({FaultKind::broker_crash, sim::Duration::seconds(2), sim::Duration::seconds(4), 0, 0});
  plan.faults.push_back({FaultKind::broker_crash, sim::Duration::seconds(4), sim::Duration::seconds(6), 0, 0});
  Harness h(LogFlavour::classic, plan);
  const sim::NodeId broker = h.world->log().serving_nodes()[0];
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(7));
  CHECK_FALSE(up(h, broker));
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(11));
  CHECK(up(h, broker));
}

TEST_CASE("fault injector: heal_all cancels pending faults and heals active ones", "[faults]") {
  FaultPlan plan;
  plan.faults.push_back({FaultKind::zone_partition, sim::Duration::seconds(2), sim::Duration::seconds(20), 1, 0});
  plan.faults.push_back({FaultKind::ingester_kill, sim::Duration::seconds(2), sim::Duration::seconds(20), 0, 0});
  plan.faults.push_back({FaultKind::network_drop, sim::Duration::seconds(10), sim::Duration::seconds(5), -1, 0});
  Harness h(LogFlavour::classic, plan);
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(5));
  CHECK(h.sim.network().active_partitions() == 1);
  h.injector->heal_all();
  CHECK(h.sim.network().active_partitions() == 0);
  CHECK(up(h, h.world->ingesters()[0]));
  h.sim.run_until(sim::Time::zero() + sim::Duration::seconds(30));
  CHECK(h.injector->applied().size() == 2);
  CHECK(h.sim.network().options().drop_probability == 0);
  CHECK(up(h, h.world->ingesters()[0]));
}

TEST_CASE("fault injector: swarm draws per seed, the same seed the same faults", "[faults]") {
  FaultPlan plan;
  plan.swarm.enabled = true;
  plan.swarm.faults_max = 8;
  const auto faults_of = [&](std::uint64_t seed) {
    sim::Simulation sim({.seed = seed});
    weir::properties::History history;
    std::vector<std::string> described;
    auto world = std::make_unique<PipelineWorld>(sim, tiny_world(LogFlavour::classic), history);
    FaultInjector injector(*world, plan, sim::Duration::seconds(30));
    for (const auto& f : injector.faults()) {
      CHECK(f.at + f.duration <= sim::Duration::seconds(30));
      described.push_back(std::string(to_string(f.kind)).append("@").append(std::to_string(f.at.ns())));
    }
    CHECK_FALSE(injector.faults().empty());
    sim.shutdown();
    return described;
  };
  CHECK(faults_of(1) == faults_of(1));
  int differing = 0;
  for (std::uint64_t seed = 2; seed < 6; ++seed) differing += faults_of(seed) != faults_of(1) ? 1 : 0;
  CHECK(differing == 4);
}

TEST_CASE("fault plan: same-instant shuffling always when asked, else for the swarm's share of seeds", "[faults]") {
  FaultPlan plan;
  CHECK_FALSE(plan.shuffles(1));
  plan.shuffle_same_instant = true;
  CHECK(plan.shuffles(1));
  plan.shuffle_same_instant = false;
  plan.swarm.shuffle_probability = 0.25;
  CHECK_FALSE(plan.shuffles(1));  // the swarm is off
  plan.swarm.enabled = true;
  int shuffled = 0;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) shuffled += plan.shuffles(seed) ? 1 : 0;
  CHECK(shuffled > 200);
  CHECK(shuffled < 300);
  for (std::uint64_t seed = 0; seed < 50; ++seed) CHECK(plan.shuffles(seed) == plan.shuffles(seed));
  plan.swarm.shuffle_probability = 1.5;
  CHECK(plan.validate(sim::Duration::seconds(60)));
}

TEST_CASE("fault plan: a shuffled run differs from the scheduled order, and repeats itself", "[faults]") {
  ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-classic"));
  REQUIRE_FALSE(loader.set("phases.safety_ms=15000"));
  const RunResult ordered = run_pipeline(loader.options().pipeline, 3);
  REQUIRE_FALSE(loader.set("faults.shuffle_same_instant=true"));
  const RunResult shuffled = run_pipeline(loader.options().pipeline, 3);
  const RunResult again = run_pipeline(loader.options().pipeline, 3);
  CHECK(shuffled.exit_code() == 0);
  CHECK(shuffled.trace_hash != ordered.trace_hash);
  CHECK(shuffled.trace_hash == again.trace_hash);
}
