#include "weir/replay/timeline.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "weir/sim/trace.h"

namespace weir::replay {
namespace {

constexpr double kNsPerSecond = 1e9;

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool is_ingester_of(std::string_view name, std::string_view partition) {
  constexpr std::string_view kIngester = "ingester-";
  if (name.size() < kIngester.size() + partition.size() + 1) return false;
  if (name.substr(0, kIngester.size()) != kIngester) return false;
  const std::size_t dash = name.size() - partition.size() - 1;
  return name[dash] == '-' && name.substr(dash + 1) == partition;
}

bool any_partition(const std::vector<std::string>& partitions, std::string_view name) {
  return std::any_of(partitions.begin(), partitions.end(),
                     [&](const std::string& p) { return is_ingester_of(name, p); });
}

}  // namespace

std::optional<std::string> TimelineFilter::validate() const {
  for (const auto& bound : {from_seconds, to_seconds}) {
    if (bound && (!std::isfinite(*bound) || *bound < 0)) {
      return fmt::format("a time bound must be a finite number of seconds >= 0, not {}", *bound);
    }
  }
  if (from_seconds && to_seconds && *from_seconds > *to_seconds) {
    return fmt::format("--from {} is after --to {}", *from_seconds, *to_seconds);
  }
  return std::nullopt;
}

std::string zone_from_name(std::string_view name) {
  constexpr std::string_view kZone = "zone-";
  for (std::size_t at = name.find(kZone); at != std::string_view::npos; at = name.find(kZone, at + 1)) {
    if (at != 0 && name[at - 1] != '-') continue;
    const std::size_t end = name.find('-', at + kZone.size());
    const std::string_view zone = name.substr(at, end == std::string_view::npos ? end : end - at);
    if (zone.size() > kZone.size()) return std::string(zone);
  }
  return "";
}

std::string node_zone(const TraceFile& file, std::uint32_t node) {
  if (node < file.node_zones.size() && !file.node_zones[node].empty()) return file.node_zones[node];
  if (node < file.node_names.size()) return zone_from_name(file.node_names[node]);
  return "";
}

std::string node_label(const TraceFile& file, std::uint32_t node) {
  if (node == sim::kNoNode) return "system";
  if (node < file.node_names.size()) return file.node_names[node];
  return fmt::format("node#{}", node);
}

Timeline::Timeline(const TraceFile& file, TimelineFilter filter)
    : file_(file), filter_(std::move(filter)), text_(file) {
  const bool has_domain = std::any_of(file.kind_texts.begin(), file.kind_texts.end(),
                                      [](const std::string& text) { return !text.empty(); });
  show_runtime_ = filter_.runtime || !has_domain;
}

bool Timeline::matches_partition(const RecordedEvent& event, const std::string& name) const {
  if (filter_.partitions.empty()) return true;
  if (any_partition(filter_.partitions, name)) return true;
  const auto partition = text_.number(event, "partition");
  return partition && contains(filter_.partitions, std::to_string(*partition));
}

bool Timeline::matches(const RecordedEvent& event) const {
  if (!show_runtime_ && !file_.is_domain(event)) return false;
  const double seconds = static_cast<double>(event.time_ns) / kNsPerSecond;
  if (filter_.from_seconds && seconds < *filter_.from_seconds) return false;
  if (filter_.to_seconds && seconds >= *filter_.to_seconds) return false;
  if (filter_.nodes.empty() && filter_.zones.empty() && filter_.partitions.empty()) return true;
  const std::string name = node_label(file_, event.node);
  if (!filter_.nodes.empty() && !contains(filter_.nodes, name)) return false;
  if (!filter_.zones.empty() && !contains(filter_.zones, node_zone(file_, event.node))) return false;
  return matches_partition(event, name);
}

std::string Timeline::line(const RecordedEvent& event) const {
  const std::string zone = event.node == sim::kNoNode ? "" : node_zone(file_, event.node);
  const std::string head = fmt::format("{}.{:06} {} {} {}", event.time_ns / 1'000'000'000,
                                       event.time_ns % 1'000'000'000 / 1000, node_label(file_, event.node),
                                       zone.empty() ? "-" : zone, file_.kind_name(event));
  if (file_.is_domain(event)) return fmt::format("{}: {}", head, text_.sentence(event));
  return fmt::format("{} {:016x}", head, event.digest);
}

std::uint64_t Timeline::print(std::FILE* out) const {
  std::uint64_t printed = 0;
  for (const auto& event : file_.events) {
    if (!matches(event)) continue;
    fmt::print(out, "{}\n", line(event));
    ++printed;
  }
  return printed;
}

}  // namespace weir::replay
