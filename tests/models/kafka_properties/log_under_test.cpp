#include "log_under_test.h"

#include <fmt/format.h>

#include "weir/models/kafka/classic/classic_cluster.h"
#include "weir/models/kafka/diskless/diskless_cluster.h"
#include "weir/sim/network.h"

namespace weir::models::kafka::testing {
namespace {

const std::vector<std::string> kZones = {"zone-a", "zone-b", "zone-c"};

void inject(sim::Simulation& sim, const LogCluster& log, const std::vector<Fault>& faults) {
  for (const Fault& f : faults) {
    sim.sleep(sim::Duration::milliseconds(f.gap_ms));
    const auto duration = sim::Duration::milliseconds(f.duration_ms);
    if (f.kind == Fault::Kind::crash_restart) {
      const auto nodes = log.serving_nodes();
      const sim::NodeId victim = nodes[static_cast<std::size_t>(f.target) % nodes.size()];
      sim.crash(victim);
      sim.sleep(duration);
      sim.start(victim);
    } else {
      const auto cut = sim.network().isolate_zone(kZones[static_cast<std::size_t>(f.target) % kZones.size()]);
      sim.sleep(duration);
      sim.network().repair(cut);
    }
  }
}

}  // namespace

LogUnderTest make_classic(sim::Simulation& sim) {
  LogUnderTest t;
  classic::ClassicClusterOptions options;  // RF=3, min.insync.replicas=2, clean election
  options.topics = {{"ingest", 4}};
  t.log = std::make_unique<classic::ClassicCluster>(sim, options);
  return t;
}

LogUnderTest make_diskless(sim::Simulation& sim) {
  LogUnderTest t;
  t.store = std::make_unique<objstore::ObjectStore>(sim, kZones);
  t.log = std::make_unique<diskless::DisklessCluster>(sim, *t.store);
  return t;
}

rc::Gen<std::vector<Fault>> fault_schedule() {
  const auto fault = rc::gen::build<Fault>(
      rc::gen::set(&Fault::kind, rc::gen::element(Fault::Kind::crash_restart, Fault::Kind::zone_partition)),
      rc::gen::set(&Fault::gap_ms, rc::gen::inRange(0, 1500)), rc::gen::set(&Fault::target, rc::gen::inRange(0, 9)),
      rc::gen::set(&Fault::duration_ms, rc::gen::inRange(1, 2000)));
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 5), [fault](std::size_t count) {
    return rc::gen::container<std::vector<Fault>>(count, fault);
  });
}

std::string describe(const std::vector<Fault>& faults) {
  std::string out;
  for (const Fault& f : faults) {
    out += fmt::format("[+{}ms {} #{} for {}ms] ", f.gap_ms,
                       f.kind == Fault::Kind::crash_restart ? "crash-restart" : "zone-partition", f.target,
                       f.duration_ms);
  }
  return out;
}

LogWorkloadSummary run_with_faults(const MakeLog& make, std::uint64_t seed, const std::vector<Fault>& faults,
                                   const LogWorkloadOptions& options, std::uint64_t* trace_hash) {
  sim::Simulation sim({.seed = seed});
  LogUnderTest t = make(sim);
  sim.spawn(sim::kNoNode, [&] { inject(sim, *t.log, faults); });
  LogWorkloadSummary summary = run_log_workload(sim, *t.log, options);
  if (trace_hash != nullptr) *trace_hash = sim.trace_hash();
  return summary;
}

}  // namespace weir::models::kafka::testing
