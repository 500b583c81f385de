// JUnit: a sweep's results as a JUnit XML report, for CI systems that show
// test results (one testcase per seed; a failing seed carries a <failure>
// with its violations and the line that reproduces it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "weir/scenarios/run_result.h"
#include "weir/scenarios/sweep.h"

namespace weir::scenarios {

// The whole report, one <testsuite> named after the scenario.
std::string to_junit(const std::string& scenario, const std::vector<RunResult>& results,
                     const SweepSummary& summary);

// Writes `contents` to `path` + ".tmp", then renames it over `path`, so the
// file is never seen half-written. Returns an error message on failure.
std::optional<std::string> write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace weir::scenarios
