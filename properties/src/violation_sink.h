// Private: collects one property's violations, up to a cap.
//
// Contract: keeps the first `cap` messages in the order added; past the cap
// it counts, and finish() appends one violation saying how many were left out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/violation.h"

namespace weir::properties::detail {

class ViolationSink {
 public:
  ViolationSink(std::string_view property, std::size_t cap) : property_(property), cap_(cap) {}

  void add(std::string message);
  std::vector<Violation> finish() &&;

 private:
  std::string property_;
  std::size_t cap_;
  std::size_t left_out_ = 0;
  std::vector<Violation> violations_;
};

}  // namespace weir::properties::detail
