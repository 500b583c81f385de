// Private: how checkers name evidence in messages.
//
// Contract: exact, short renderings: times as seconds with up to nine
// decimals ("12.5s"), series and digests as hex, values in shortest
// round-trip form.
#pragma once

#include <string>

#include "weir/properties/types.h"

namespace weir::properties::detail {

std::string format_time(SimTime at);          // "12.5s"
std::string format_series(SeriesId series);   // "0x00000000000000ab"
std::string format_digest(RecordDigest digest);
std::string format_sample(SeriesId series, TimestampMs ts);                // "series 0x.. ts 1000"
std::string format_sample(SeriesId series, TimestampMs ts, double value);  // "... value 1.5"
std::string format_offsets(Offset first, Offset last);                     // "5" or "[5, 9]"

}  // namespace weir::properties::detail
