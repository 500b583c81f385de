// weir replay FILE --perfetto OUT.json: the recorded run as a Chrome
// trace for Perfetto (replay/chrome_trace.h), its fault slices named by the
// fault's kind and target.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "weir/replay/chrome_trace.h"
#include "weir/scenarios/fault_injector.h"
#include "weir/scenarios/run_result.h"

namespace weir::cli {

int export_chrome(const replay::TraceFile& file, const ReplayCommand& command) {
  replay::ChromeTraceOptions options;
  options.filter = command.filter;
  std::vector<std::string> zones;
  for (const std::string& zone : file.node_zones) {
    if (!zone.empty() && std::find(zones.begin(), zones.end(), zone) == zones.end()) zones.push_back(zone);
  }
  options.fault_labels = scenarios::fault_trace_labels(file.node_names, zones);
  const auto written = replay::export_chrome_trace(file, options, command.export_chrome);
  if (const auto* error = std::get_if<std::string>(&written)) {
    fmt::print(stderr, "weir: {}\n", *error);
    return scenarios::exit_code::bad_input;
  }
  const auto& stats = std::get<replay::ChromeTraceStats>(written);
  // With --timeline, stdout is the timeline's alone.
  if (!command.timeline) {
    fmt::print("chrome trace {}: {} events, {} fault slices, {} bytes\n", command.export_chrome, stats.events,
               stats.fault_slices, stats.bytes);
  }
  return scenarios::exit_code::ok;
}

}  // namespace weir::cli
