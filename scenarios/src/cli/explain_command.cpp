// weir explain FILE: the story of one violation, from the trace's domain
// events (replay/explain.h).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "weir/replay/explain.h"
#include "weir/replay/trace_reader.h"
#include "weir/scenarios/run_result.h"

namespace weir::cli {
namespace {

std::string story_json(const replay::TraceFile& file, const replay::Explainer& explainer, const replay::Story& story,
                       std::size_t number) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : story.events) {
    const replay::RecordedEvent& event = file.events[e.index];
    events.push_back({{"index", e.index},
                      {"time_ns", event.time_ns},
                      {"node", replay::node_label(file, event.node)},
                      {"kind", file.kind_name(event)},
                      {"text", explainer.timeline().text().sentence(event)},
                      {"why", e.why}});
  }
  nlohmann::json records = nlohmann::json::array();
  for (const auto& r : story.records) {
    records.push_back({{"partition", r.partition},
                       {"offset", r.offset},
                       {"record", fmt::format("{:#018x}", r.digest)},
                       {"acked_ns", r.acked_ns},
                       {"lost", r.lost}});
  }
  nlohmann::json j = {{"violation", number},
                      {"property", story.violation.property},
                      {"message", story.violation.message},
                      {"records", records},
                      {"events", events},
                      {"from_ns", story.from_ns},
                      {"to_ns", story.to_ns}};
  if (story.last_avoidable) {
    j["last_avoidable"] = {{"time_ns", story.last_avoidable->time_ns},
                           {"index", story.last_avoidable->event},
                           {"what", story.last_avoidable->what}};
  }
  return j.dump();
}

}  // namespace

int explain(const ExplainCommand& command) {
  auto read = replay::TraceReader::read(command.file);
  if (const auto* error = std::get_if<std::string>(&read)) {
    fmt::print(stderr, "weir: {}\n", *error);
    return scenarios::exit_code::bad_input;
  }
  const replay::TraceFile& file = std::get<replay::TraceFile>(read);
  if (file.violations.empty()) {
    fmt::print(stderr, "weir: {}: the run violated nothing, so there is nothing to explain\n", command.file);
    return scenarios::exit_code::bad_usage;
  }
  if (command.violation == 0 || command.violation > file.violations.size()) {
    fmt::print(stderr, "weir: --violation {} is out of range: {} has violations 1 to {}\n", command.violation,
               command.file, file.violations.size());
    return scenarios::exit_code::bad_usage;
  }
  const replay::Explainer explainer(file);
  const replay::Story story = explainer.explain(file.violations[command.violation - 1]);
  if (command.json) {
    fmt::print("{}\n", story_json(file, explainer, story, command.violation));
    return scenarios::exit_code::ok;
  }
  fmt::print("{} seed {}: violation {} of {}\n", file.header.scenario, file.header.seed, command.violation,
             file.violations.size());
  for (const auto& line : explainer.lines(story)) fmt::print("{}\n", line);
  return scenarios::exit_code::ok;
}

}  // namespace weir::cli
