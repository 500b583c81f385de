#include "weir/models/mimir/services.h"

#include <fmt/format.h>

namespace weir::models::mimir {

std::string block_key(std::string_view tenant, std::string_view source, std::int64_t mint_ms, std::int64_t maxt_ms) {
  return fmt::format("blocks/{}/{}/{:013d}-{:013d}", tenant, source, mint_ms, maxt_ms);
}

}  // namespace weir::models::mimir
