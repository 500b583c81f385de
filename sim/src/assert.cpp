#include "weir/sim/assert.h"

#include "weir/sim/errors.h"

namespace weir::sim::detail {

void invariant_failed(std::string_view file, int line, std::string_view condition, std::string message) {
  const std::size_t slash = file.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? file : file.substr(slash + 1);
  throw InvariantError(fmt::format("invariant failed at {}:{}: {} ({})", base, line, message, condition));
}

}  // namespace weir::sim::detail
