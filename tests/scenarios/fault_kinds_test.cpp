// Fault kinds as data: one well-formed row per kind, in enum order; what the
// swarm draws follows the rows.
#include <catch2/catch.hpp>

#include <iterator>
#include <memory>
#include <set>

#include "weir/properties/history.h"
#include "weir/scenarios/fault_injector.h"
#include "weir/scenarios/fault_kinds.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/pipeline_world.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

constexpr auto kSafetyPhase = sim::Duration::seconds(30);

FaultPlan one(FaultKind kind, double magnitude) {
  FaultPlan plan;
  plan.faults.push_back({kind, sim::Duration::seconds(1), sim::Duration::seconds(5), -1, magnitude});
  return plan;
}

// Every kind on, beyond the budget: what the swarm draws over a few seeds on
// a small world of `flavour`.
std::vector<ScheduledFault> swarm_draws(LogFlavour flavour) {
  PipelineOptions o;
  o.log.flavour = flavour;
  o.log.partitions = 2;
  o.series_per_client = 5;
  o.write_phase = kSafetyPhase;
  FaultPlan plan;
  plan.swarm.enabled = true;
  plan.swarm.kind_probability = 1;
  plan.swarm.beyond_budget = true;
  std::vector<ScheduledFault> drawn;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    sim::Simulation sim({.seed = seed});
    weir::properties::History history;
    auto world = std::make_unique<PipelineWorld>(sim, o, history);
    const FaultInjector injector(*world, plan, kSafetyPhase);
    drawn.insert(drawn.end(), injector.faults().begin(), injector.faults().end());
    sim.shutdown();
  }
  return drawn;
}

}  // namespace

TEST_CASE("fault kinds: one row per kind, in enum order", "[faults]") {
  REQUIRE(fault_kind_rows().size() == std::size(kAllFaultKinds));
  for (std::size_t i = 0; i < fault_kind_rows().size(); ++i) {
    const FaultKind kind = kAllFaultKinds[i];
    CHECK(static_cast<std::size_t>(kind) == i);
    CHECK(fault_kind_rows()[i].kind == kind);
    CHECK(&info(kind) == &fault_kind_rows()[i]);
  }
}

TEST_CASE("fault kinds: every family applies and heals some kind", "[faults]") {
  for (FaultFamily family : kAllFaultFamilies) {
    INFO(static_cast<int>(family));
    int kinds = 0;
    for (const FaultKindInfo& row : fault_kind_rows()) kinds += row.family() == family ? 1 : 0;
    CHECK(kinds > 0);
  }
}

TEST_CASE("fault kinds: every name is distinct and parses back to its kind; every kind has a doc line",
          "[faults]") {
  std::set<std::string_view> names;
  for (const FaultKindInfo& row : fault_kind_rows()) {
    INFO(row.name);
    CHECK_FALSE(row.name.empty());
    CHECK_FALSE(row.doc.empty());
    CHECK(names.insert(row.name).second);
    CHECK(parse_fault_kind(row.name) == row.kind);
    CHECK(to_string(row.kind) == row.name);
  }
}

TEST_CASE("fault kinds: every default magnitude is valid for its unit, inside the kind's range", "[faults]") {
  for (const FaultKindInfo& row : fault_kind_rows()) {
    INFO(row.name);
    const MagnitudeInfo& m = row.magnitude;
    CHECK(magnitude_unit(row.kind) == m.unit);
    CHECK(default_magnitude(row.kind) == m.default_value);
    if (m.unit == MagnitudeUnit::none) {
      CHECK(m.default_value == 0);
      CHECK(m.swarm_min == 0);
      CHECK(m.swarm_max == 0);
      continue;
    }
    CHECK(m.min <= m.default_value);
    CHECK(m.default_value <= m.max);
    CHECK(m.default_value > 0);  // 0 stands for the default
    CHECK_FALSE(one(row.kind, m.default_value).validate(kSafetyPhase));
    CHECK(m.min <= m.swarm_min);
    CHECK(m.swarm_min <= m.swarm_max);
    // A count is drawn up to the candidates; any other unit within its range.
    CHECK((m.unit == MagnitudeUnit::count ? m.swarm_max == kUpToCandidates : m.swarm_max <= m.max));
  }
}

TEST_CASE("fault kinds: targets, budget counts and promises agree with each other", "[faults]") {
  for (const FaultKindInfo& row : fault_kind_rows()) {
    INFO(row.name);
    // Only log-node faults take log nodes out; only zone cuts fence brokers;
    // only node faults take `magnitude` nodes.
    const bool takes_log_nodes =
        row.budget == BudgetCount::machines_lost || row.budget == BudgetCount::processes_killed;
    const bool cuts_zone = row.budget == BudgetCount::zone_cut || row.budget == BudgetCount::zone_cut_outbound;
    if (takes_log_nodes) CHECK(row.target == FaultTarget::log_node);
    if (cuts_zone) CHECK(row.target == FaultTarget::log_zone);
    if (row.magnitude.unit == MagnitudeUnit::count) CHECK(row.target == FaultTarget::log_node);
    // A kind survived up to the limit must count against it, or the limit
    // would never hold it back.
    for (const Promise& p : {row.promises.classic, row.promises.diskless, row.promises.diskless_wal}) {
      CHECK_FALSE(p.why.empty());
      if (p.survival == Survival::up_to_limit) CHECK(row.budget != BudgetCount::nothing);
    }
    // The diskless log has no controller to fence brokers: a zone cut costs
    // it nothing, so it can promise it always.
    if (cuts_zone) CHECK(row.promises.diskless.survival == Survival::always);
  }
}

TEST_CASE("fault kinds: a swarm may list a kind only if the kind's row lets the swarm draw it", "[faults]") {
  for (const FaultKindInfo& row : fault_kind_rows()) {
    FaultPlan plan;
    plan.swarm.enabled = true;
    plan.swarm.kinds = {row.kind};
    INFO(row.name);
    CHECK(plan.validate(kSafetyPhase).has_value() == !row.swarm_may_draw);
  }
}

TEST_CASE("fault kinds: the swarm draws exactly the kinds it may draw on the log's flavour, with valid magnitudes",
          "[faults]") {
  for (LogFlavour flavour : kAllLogFlavours) {
    INFO(to_string(flavour));
    std::set<FaultKind> may;
    for (const FaultKindInfo& row : fault_kind_rows()) {
      if (row.swarm_may_draw && row.applies_to(flavour)) may.insert(row.kind);
    }
    std::set<FaultKind> drawn;
    FaultPlan drawn_plan;
    for (const ScheduledFault& f : swarm_draws(flavour)) {
      drawn.insert(f.kind);
      drawn_plan.faults.push_back(f);
    }
    CHECK(drawn == may);
    CHECK_FALSE(drawn_plan.validate(kSafetyPhase));
  }
}
