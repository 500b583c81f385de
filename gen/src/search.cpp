#include "weir/gen/search.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <rapidcheck.h>
#include <rapidcheck/detail/TestListenerAdapter.h>

namespace weir::gen {
namespace {

// RapidCheck's check loop with explicit parameters. The public rc::check
// reads them from RC_PARAMS; this entry point (in rc::detail, stable since
// RapidCheck's first releases) takes them as a value.
template <typename Property>
rc::detail::TestResult check_with(Property&& property, const SearchOptions& search) {
  rc::detail::TestParams params;
  params.seed = search.rapidcheck_seed;
  params.maxSuccess = search.tests_max;
  params.disableShrinking = !search.shrink;
  rc::detail::TestMetadata metadata;
  metadata.id = "weir::gen::find_failing_schedule";
  // A listener of our own: RapidCheck's default one prints an RC_PARAMS
  // reproduction at exit, which does not apply to fixed parameters.
  rc::detail::TestListenerAdapter quiet;
  return rc::detail::checkProperty(rc::detail::toProperty(std::forward<Property>(property)), metadata, params, quiet);
}

}  // namespace

bool SearchOptions::counts_as_failure(const scenarios::RunResult& run) const {
  if (properties.empty()) return run.exit_code() != scenarios::exit_code::ok;
  return std::any_of(run.violations.begin(), run.violations.end(), [&](const properties::Violation& v) {
    return std::find(properties.begin(), properties.end(), v.property) != properties.end();
  });
}

std::optional<Counterexample> find_failing_schedule(const scenarios::Scenario& scenario, std::uint64_t seed,
                                                    const FaultScheduleOptions& faults, const SearchOptions& search) {
  const rc::Gen<FaultSchedule> schedules = fault_schedule(faults);
  int runs = 0;
  std::optional<FaultSchedule> last_failing;
  std::optional<std::string> error;  // a run that threw rather than failed
  const auto result = check_with(
      [&] {
        const FaultSchedule schedule = *schedules;
        if (error) RC_FAIL(*error);  // once a run threw, the search is over: run nothing more
        ++runs;
        bool failed = false;
        try {
          failed = search.counts_as_failure(with_schedule(scenario, schedule).run(seed));
        } catch (const std::exception& e) {
          error = e.what();
          RC_FAIL(*error);
        }
        if (failed) last_failing = schedule;
        RC_ASSERT(!failed);
      },
      search);
  if (result.template is<rc::detail::Error>()) {
    throw std::runtime_error("RapidCheck: " + result.template get<rc::detail::Error>().description);
  }
  if (!result.template is<rc::detail::FailureResult>()) return std::nullopt;
  // A scenario that cannot run a schedule is the test's error, not a
  // counterexample: say so rather than shrink it.
  if (error) throw std::runtime_error("weir::gen: a run threw: " + *error);
  const auto& failure = result.template get<rc::detail::FailureResult>();
  // RapidCheck evaluates its final, shrunk case last, so the last failing
  // schedule is the shrunk one; running it again gives its result.
  Counterexample found{*last_failing, with_schedule(scenario, *last_failing), {}, failure.numSuccess, runs};
  found.result = found.scenario.run(seed);
  return found;
}

std::string Counterexample::describe() const {
  std::string out = fmt::format("weir::gen: a failing fault schedule after {} passing ones, shrunk to {} faults "
                                "({} runs in all), trace_hash={:016x}:\n",
                                tests_passed, result.fault_schedule.size(), runs, result.trace_hash);
  for (const auto& fault : result.faults) out += fmt::format("  fault {}\n", fault);
  for (const auto& v : result.violations) out += fmt::format("  violation {}: {}\n", v.property, v.message);
  if (!result.simulator_error.empty()) out += fmt::format("  simulator error: {}\n", result.simulator_error);
  if (!scenario.reproducible_by_name()) {
    out += fmt::format("  (save the spec first: Scenario::save_spec(\"{}\"))\n", scenario.source());
  }
  out += fmt::format("reproduce: {}\n", result.reproduce_command());
  return out;
}

}  // namespace weir::gen
