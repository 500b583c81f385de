// Runs every enabled checker, in property id order, and checks the minimum
// observations.
#include "weir/properties/check_all.h"

#include <fmt/format.h>

#include "weir/properties/checks/check_bounded_staleness.h"
#include "weir/properties/checks/check_exact_resume.h"
#include "weir/properties/checks/check_gapless_replay.h"
#include "weir/properties/checks/check_identical_ordering.h"
#include "weir/properties/checks/check_liveness.h"
#include "weir/properties/checks/check_no_duplicate_samples.h"
#include "weir/properties/checks/check_no_lost_acked_samples.h"
#include "weir/properties/checks/check_no_phantom_samples.h"
#include "weir/properties/checks/check_read_after_write.h"

namespace weir::properties {
namespace {

using Checker = PropertyResult (*)(const History&, const CheckOptions&);

struct Entry {
  bool enabled;
  Checker checker;
  std::uint64_t min_observations;
};

std::vector<Entry> entries(const CheckOptions& options) {
  const EnabledChecks& on = options.enabled;
  const MinObservations& min = options.min_observations;
  return {
      {on.no_lost_acked_samples, &check_no_lost_acked_samples, min.no_lost_acked_samples},
      {on.gapless_replay, &check_gapless_replay, min.gapless_replay},
      {on.identical_ordering, &check_identical_ordering, min.identical_ordering},
      {on.read_after_write, &check_read_after_write, min.read_after_write},
      {on.no_phantom_samples, &check_no_phantom_samples, min.no_phantom_samples},
      {on.no_duplicate_samples, &check_no_duplicate_samples, min.no_duplicate_samples},
      {on.liveness, &check_liveness, min.liveness},
      {on.bounded_staleness && options.staleness_bound.has_value(), &check_bounded_staleness,
       min.bounded_staleness},
      {on.exact_resume, &check_exact_resume, min.exact_resume},
  };
}

Violation shortfall(const PropertyResult& result, std::uint64_t required) {
  return Violation{std::string(property_id::min_observations),
                   fmt::format("{} judged {} {}, the scenario requires at least {}", result.property,
                               result.judged, judged_unit(result.property), required)};
}

}  // namespace

CheckReport check_all(const History& history, const CheckOptions& options) {
  CheckReport report;
  for (const Entry& entry : entries(options)) {
    if (!entry.enabled) continue;
    report.properties.push_back(entry.checker(history, options));
    const PropertyResult& result = report.properties.back();
    if (result.judged < entry.min_observations) report.shortfalls.push_back(shortfall(result, entry.min_observations));
  }
  return report;
}

std::vector<Violation> CheckReport::violations() const {
  std::vector<Violation> all;
  for (const PropertyResult& result : properties) all.insert(all.end(), result.violations.begin(), result.violations.end());
  all.insert(all.end(), shortfalls.begin(), shortfalls.end());
  return all;
}

std::map<std::string, std::uint64_t> CheckReport::checked() const {
  std::map<std::string, std::uint64_t> counts;
  for (const PropertyResult& result : properties) counts[result.property] = result.judged;
  return counts;
}

std::vector<std::string> CheckReport::vacuous() const {
  std::vector<std::string> names;
  for (const PropertyResult& result : properties) {
    if (result.vacuous()) names.push_back(result.property);
  }
  return names;
}

std::string_view judged_unit(std::string_view property) {
  if (property == property_id::no_lost_acked_samples) return "acked samples x zones";
  if (property == "no_lost_acked_writes") return "acked puts";  // the rpc-chaos runtime scenario
  if (property == property_id::gapless_replay) return "records replayed";
  if (property == property_id::identical_ordering) return "records compared";
  if (property == property_id::read_after_write) return "strong reads";
  if (property == property_id::no_phantom_samples) return "samples returned";
  if (property == property_id::no_duplicate_samples) return "samples returned";
  if (property == property_id::liveness) return "ingester lags, strong reads, zones' final reads or pings";
  if (property == property_id::bounded_staleness) return "eventual reads";
  if (property == property_id::exact_resume) return "restarts";
  return "observations";
}

}  // namespace weir::properties
