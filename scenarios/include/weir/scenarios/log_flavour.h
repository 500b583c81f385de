// LogFlavour: which Kafka-compatible log a run builds. Code branches on the
// enum, in switches that list every flavour (so a new one is a compile
// warning wherever it matters); the names are for scenario files, flags and
// output only.
#pragma once

#include <optional>
#include <string_view>

namespace weir::scenarios {

enum class LogFlavour {
  classic,   // brokers replicating partition logs on their disks (Kafka)
  diskless,  // stateless agents over object storage (WarpStream-, AutoMQ-like)
};
inline constexpr LogFlavour kAllLogFlavours[] = {LogFlavour::classic, LogFlavour::diskless};

// "classic" or "diskless"; nothing for any other name.
std::optional<LogFlavour> parse_log_flavour(std::string_view name);
const char* to_string(LogFlavour flavour);

}  // namespace weir::scenarios
