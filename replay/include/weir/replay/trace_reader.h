// TraceReader: reads and validates a trace file (trace_file.h).
//
// Never throws and never trusts the bytes: a wrong magic or format version,
// a truncated file, a checksum mismatch, or a record that does not parse
// yields a one-line error naming the file and the problem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "weir/replay/trace_file.h"

namespace weir::replay {

class TraceReader {
 public:
  // The file at `path`, or a one-line error "PATH: problem".
  static std::variant<TraceFile, std::string> read(const std::string& path);
  // The same for bytes already in memory; `name` prefixes errors.
  static std::variant<TraceFile, std::string> parse(std::string_view bytes, std::string_view name);
};

}  // namespace weir::replay
