// Go-style formatting for the messages Mimir's distributor returns, so weir's
// answers read like Mimir's: fmt's %.200s (at most 200 runes), strconv.Quote,
// %v of a float64, and Prometheus's label-set string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "weir/models/proto/remote_write.pb.h"

namespace weir::models::mimir::go {

// The first `runes` UTF-8 characters of `text` (fmt's %.<runes>s).
std::string_view truncate_runes(std::string_view text, std::size_t runes);
// strconv.Quote for printable ASCII and UTF-8; control bytes as \n, \t, \xNN.
std::string quote(std::string_view text);
// fmt's %v of a float64 (strconv 'g', shortest): exponent form when the
// decimal exponent is below -4 or at least 6, e.g. 10000, 1e+06, 0.5.
std::string float_v(double value);
// labels.Labels.String(): {name="value", ...} in the given order.
std::string labels_string(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels);

}  // namespace weir::models::mimir::go
