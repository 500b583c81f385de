#include "weir/models/mimir/shipped_log.h"

#include <charconv>

#include <fmt/format.h>

namespace weir::models::mimir {
namespace {

const std::string kPath(kShippedLogPath);

}  // namespace

std::map<std::string, TimestampMs> ShippedLog::load() {
  std::map<std::string, TimestampMs> boundaries;
  const std::optional<std::string> bytes = disk_.read(kPath);
  if (!bytes) return boundaries;
  std::string_view rest(*bytes);
  for (std::size_t end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    const std::size_t space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0) continue;
    TimestampMs boundary = 0;
    const std::string_view number = line.substr(space + 1);
    const auto [ptr, error] = std::from_chars(number.data(), number.data() + number.size(), boundary);
    if (error != std::errc() || ptr != number.data() + number.size()) continue;
    auto& kept = boundaries.try_emplace(std::string(line.substr(0, space)), boundary).first->second;
    kept = std::max(kept, boundary);
  }
  return boundaries;
}

bool ShippedLog::record(const std::string& tenant, TimestampMs boundary_ms) {
  if (disk_.append(kPath, fmt::format("{} {}\n", tenant, boundary_ms)) != sim::DiskStatus::ok) return false;
  return disk_.fsync(kPath) == sim::DiskStatus::ok;
}

}  // namespace weir::models::mimir
