// Runs every enabled checker, in DESIGN.md's order.
#include "weir/properties/check_all.h"

#include "weir/properties/checks/check_bounded_staleness.h"
#include "weir/properties/checks/check_gapless_replay.h"
#include "weir/properties/checks/check_identical_ordering.h"
#include "weir/properties/checks/check_liveness.h"
#include "weir/properties/checks/check_no_duplicate_samples.h"
#include "weir/properties/checks/check_no_lost_acked_samples.h"
#include "weir/properties/checks/check_no_phantom_samples.h"
#include "weir/properties/checks/check_read_after_write.h"

namespace weir::properties {

std::vector<Violation> check_all(const History& history, const CheckOptions& options) {
  using Checker = std::vector<Violation> (*)(const History&, const CheckOptions&);
  const EnabledChecks& on = options.enabled;
  const std::pair<bool, Checker> checkers[] = {
      {on.no_lost_acked_samples, &check_no_lost_acked_samples},
      {on.gapless_replay, &check_gapless_replay},
      {on.identical_ordering, &check_identical_ordering},
      {on.read_after_write, &check_read_after_write},
      {on.no_phantom_samples, &check_no_phantom_samples},
      {on.no_duplicate_samples, &check_no_duplicate_samples},
      {on.liveness, &check_liveness},
      {on.bounded_staleness, &check_bounded_staleness},
  };
  std::vector<Violation> violations;
  for (const auto& [enabled, checker] : checkers) {
    if (!enabled) continue;
    auto found = checker(history, options);
    violations.insert(violations.end(), std::make_move_iterator(found.begin()),
                      std::make_move_iterator(found.end()));
  }
  return violations;
}

}  // namespace weir::properties
