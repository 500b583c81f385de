#include <catch2/catch.hpp>

#include "read_path_fixture.h"
#include "weir/models/mimir/series_merge.h"
#include "weir/properties/checks/check_gapless_replay.h"
#include "weir/properties/checks/check_identical_ordering.h"

using namespace weir;
using namespace weir::models;
using namespace weir::models::mimir;
using namespace weir::models::mimir::testing;

namespace {

struct RunResult {
  std::uint64_t trace_hash = 0;
  properties::HistoryData history;
  std::vector<std::uint64_t> answers;  // digest of each query answer
  std::uint64_t failed_answers = 0;
};

// The whole read path with the runtime's default (random) latencies: writes
// at random intervals, eventual and strong reads through the frontend, an
// ingester crash, the compactor. Small on purpose: the test runs it twice.
RunResult run(std::uint64_t seed) {
  ReadPathFixture f(seed, {"zone-a", "zone-b"}, 2, sim::NetworkOptions{});
  IngesterOptions options;
  options.head_compaction_interval = 60_s;
  f.add_all_ingesters(options, sim::DiskOptions{});
  f.add_store_gateway("zone-a");
  f.add_querier("zone-a");
  f.add_querier("zone-b");
  const sim::NodeId frontend = f.add_query_frontend();
  CompactorOptions compactor;
  compactor.compaction_interval = 30_s;
  f.sim.start(f.sim.add_node(sim::NodeSpec{"compactor", "zone-a", compactor_boot(f.store, compactor), {}}));

  RunResult result;
  sim::Random random = f.sim.random("test.workload");
  f.sim.spawn(f.client, [&] {
    for (int i = 0;; ++i) {
      f.produce_in_fiber(i % 2, make_request({i % 7}, f.sim.now().ms()));
      f.sim.sleep(sim::Duration::milliseconds(random.uniform_int(50, 900)));
      if (i % 5 != 0) continue;
      const auto consistency = i % 10 == 0 ? properties::ReadConsistency::strong : properties::ReadConsistency::eventual;
      const QueryResponse answer = f.query_in_fiber(frontend, 
                                                    select({0, 1, 2, 3, 4, 5, 6}), consistency);
      result.answers.push_back(sim::hash_combine(result_digest(answer.series), answer.ok ? 1 : 2));
      if (!answer.ok) ++result.failed_answers;
    }
  });
  f.sim.run_for(30_s);
  const sim::NodeId victim = f.sim.find_node("ingester-zone-b-1");
  f.sim.crash(victim);
  f.sim.run_for(5_s);
  f.sim.start(victim);
  f.sim.run_for(55_s);
  f.record_log_bounds();
  result.trace_hash = f.sim.trace_hash();
  result.history = f.history.data();
  CHECK(properties::check_gapless_replay(f.history, {}).violations.empty());
  CHECK(properties::check_identical_ordering(f.history, {}).violations.empty());
  return result;
}

}  // namespace

TEST_CASE("the read path is deterministic: same seed, same trace and history", "[mimir][read_determinism]") {
  const RunResult first = run(42);
  const RunResult second = run(42);
  CHECK(first.trace_hash == second.trace_hash);
  CHECK(first.history == second.history);
  CHECK(first.answers == second.answers);
  CHECK(first.answers.size() > 5);
  CHECK(first.failed_answers == 0);
  CHECK(first.history.ingester_events.size() > 100);
  const RunResult other = run(43);
  CHECK(other.trace_hash != first.trace_hash);
}
