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

bool timeline_matches(const TraceFile& file, const TimelineFilter& filter, const RecordedEvent& event) {
  const double seconds = static_cast<double>(event.time_ns) / kNsPerSecond;
  if (filter.from_seconds && seconds < *filter.from_seconds) return false;
  if (filter.to_seconds && seconds >= *filter.to_seconds) return false;
  if (filter.nodes.empty() && filter.zones.empty() && filter.partitions.empty()) return true;
  const std::string name = node_label(file, event.node);
  if (!filter.nodes.empty() && !contains(filter.nodes, name)) return false;
  if (!filter.zones.empty() && !contains(filter.zones, node_zone(file, event.node))) return false;
  if (!filter.partitions.empty() && !any_partition(filter.partitions, name)) return false;
  return true;
}

std::string timeline_line(const TraceFile& file, const RecordedEvent& event) {
  const std::string zone = event.node == sim::kNoNode ? "" : node_zone(file, event.node);
  return fmt::format("{}.{:06} {} {} {} {:016x}", event.time_ns / 1'000'000'000, event.time_ns % 1'000'000'000 / 1000,
                     node_label(file, event.node), zone.empty() ? "-" : zone, file.kind_name(event), event.digest);
}

std::uint64_t print_timeline(const TraceFile& file, const TimelineFilter& filter, std::FILE* out) {
  std::uint64_t printed = 0;
  for (const auto& event : file.events) {
    if (!timeline_matches(file, filter, event)) continue;
    fmt::print(out, "{}\n", timeline_line(file, event));
    ++printed;
  }
  return printed;
}

}  // namespace weir::replay
