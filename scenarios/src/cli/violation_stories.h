// The few domain events under each violation that `weir run` prints on a
// failure, and the timeline command that opens the window around them.
#pragma once

#include <string>
#include <vector>

#include "weir/replay/trace_file.h"

namespace weir::cli {

// At most this many violations get a story; `weir explain --violation N`
// tells any of them.
inline constexpr std::size_t kStoriesMax = 10;
// Events per story: the most relevant, in time order.
inline constexpr std::size_t kStoryEventsMax = 6;

// notes[i]: the lines to print under violation i of `file` (empty past
// kStoriesMax). `trace_path` names the trace file for the timeline command,
// or is empty when the run wrote none (the lines then say how to get one).
std::vector<std::vector<std::string>> violation_stories(const replay::TraceFile& file, const std::string& trace_path);

}  // namespace weir::cli
