// The built-in scenario specs: the .textproto files of scenarios/builtin/,
// embedded into the binary at build time (scenarios/CMakeLists.txt generates
// the table). Static storage; never freed.
#pragma once

#include <string_view>
#include <vector>

namespace weir::scenarios {

struct BuiltinSpecText {
  std::string_view name;  // the file name without .textproto
  std::string_view text;
};

// In name order.
const std::vector<BuiltinSpecText>& builtin_spec_texts();
// nullptr when no built-in spec has this name.
const BuiltinSpecText* find_builtin_spec(std::string_view name);

}  // namespace weir::scenarios
