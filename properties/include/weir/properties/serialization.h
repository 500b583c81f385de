// Saving and loading a History (protobuf, properties/proto/history.proto).
//
// Contract: load_history(save_history(h)) == h. load_history throws
// HistoryFormatError, whose message says what is wrong, when the bytes are
// not a history of a known format version or break History's invariants.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "weir/properties/history.h"

namespace weir::properties {

class HistoryFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr unsigned kHistoryFormatVersion = 1;

std::string save_history(const History& history);
History load_history(std::string_view bytes);

}  // namespace weir::properties
