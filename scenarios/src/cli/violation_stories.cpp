#include "violation_stories.h"

#include <algorithm>

#include <fmt/format.h>

#include "weir/replay/explain.h"

namespace weir::cli {
namespace {

constexpr std::int64_t kMarginNs = 500'000'000;  // around the events shown

std::string seconds(std::int64_t ns) { return fmt::format("{}.{:03}", ns / 1'000'000'000, ns % 1'000'000'000 / 1'000'000); }

std::vector<std::string> story_lines(const replay::TraceFile& file, const replay::Explainer& explainer,
                                     std::size_t number, const std::string& trace_path) {
  const replay::Story story = explainer.explain(file.violations[number]);
  const auto shown = explainer.highlights(story, kStoryEventsMax);
  std::vector<std::string> lines;
  if (shown.empty()) {
    lines.push_back("(no domain event touches its evidence)");
    return lines;
  }
  for (const auto& e : shown) lines.push_back(explainer.timeline().line(file.events[e.index]));
  if (story.last_avoidable) lines.push_back(fmt::format("last avoidable: {}", story.last_avoidable->what));
  const std::int64_t from = std::max<std::int64_t>(0, file.events[shown.front().index].time_ns - kMarginNs);
  const std::int64_t to = file.events[shown.back().index].time_ns + kMarginNs;
  const std::string path = trace_path.empty() ? std::string("TRACE") : trace_path;
  lines.push_back(fmt::format("timeline: weir replay {} --timeline --from {} --to {}; story: weir explain {} "
                              "--violation {}",
                              path, seconds(from), seconds(to), path, number + 1));
  return lines;
}

}  // namespace

std::vector<std::vector<std::string>> violation_stories(const replay::TraceFile& file, const std::string& trace_path) {
  std::vector<std::vector<std::string>> notes;
  const replay::Explainer explainer(file);
  const std::size_t told = std::min(file.violations.size(), kStoriesMax);
  for (std::size_t i = 0; i < told; ++i) notes.push_back(story_lines(file, explainer, i, trace_path));
  return notes;
}

}  // namespace weir::cli
