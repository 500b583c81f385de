// Private: evidence formatting for checker messages.
#include "format.h"

#include <cstdlib>

#include <fmt/format.h>

namespace weir::properties::detail {

std::string format_time(SimTime at) {
  const bool negative = at < 0;
  const auto magnitude = negative ? -static_cast<unsigned long long>(at)
                                  : static_cast<unsigned long long>(at);
  const auto whole = magnitude / static_cast<unsigned long long>(kNanosPerSecond);
  const auto nanos = magnitude % static_cast<unsigned long long>(kNanosPerSecond);
  std::string text = fmt::format("{}{}", negative ? "-" : "", whole);
  if (nanos != 0) {
    std::string fraction = fmt::format("{:09}", nanos);
    fraction.erase(fraction.find_last_not_of('0') + 1);
    text += "." + fraction;
  }
  return text + "s";
}

std::string format_series(SeriesId series) { return fmt::format("{:#018x}", series); }

std::string format_digest(RecordDigest digest) { return fmt::format("{:#018x}", digest); }

std::string format_sample(SeriesId series, TimestampMs ts) {
  return fmt::format("series {} ts {}", format_series(series), ts);
}

std::string format_sample(SeriesId series, TimestampMs ts, double value) {
  return fmt::format("series {} ts {} value {}", format_series(series), ts, value);
}

std::string format_offsets(Offset first, Offset last) {
  return first == last ? fmt::format("{}", first) : fmt::format("[{}, {}]", first, last);
}

}  // namespace weir::properties::detail
