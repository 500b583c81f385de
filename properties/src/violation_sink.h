// Private: collects one property's violations, up to a cap, and counts the
// observations the checker judged.
//
// Contract: keeps the first `cap` messages in the order added; past the cap
// it counts, and finish() appends one violation saying how many were left out.
// A checker calls judged(n) for every n observations it judged, violated or
// not; finish() returns both as the property's result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/check_report.h"
#include "weir/properties/violation.h"

namespace weir::properties::detail {

// Evidence about one (zone, partition) at `offset`, between two times.
Evidence at_ingester(std::string_view zone, PartitionId partition, Offset offset, SimTime from, SimTime to);

class ViolationSink {
 public:
  ViolationSink(std::string_view property, std::size_t cap) : property_(property), cap_(cap) {}

  void add(std::string message, Evidence evidence = {});
  void judged(std::uint64_t observations = 1) { judged_ += observations; }
  PropertyResult finish() &&;

 private:
  std::string property_;
  std::size_t cap_;
  std::size_t left_out_ = 0;
  std::uint64_t judged_ = 0;
  std::vector<Violation> violations_;
};

}  // namespace weir::properties::detail
