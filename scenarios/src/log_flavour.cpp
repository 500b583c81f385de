#include "weir/scenarios/log_flavour.h"

namespace weir::scenarios {

std::optional<LogFlavour> parse_log_flavour(std::string_view name) {
  for (LogFlavour flavour : kAllLogFlavours) {
    if (name == to_string(flavour)) return flavour;
  }
  return std::nullopt;
}

const char* to_string(LogFlavour flavour) {
  switch (flavour) {
    case LogFlavour::classic: return "classic";
    case LogFlavour::diskless: return "diskless";
  }
  return "?";
}

}  // namespace weir::scenarios
