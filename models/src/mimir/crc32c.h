// CRC-32C (Castagnoli), the checksum Prometheus' WAL and TSDB use, for the
// frames of weir's WAL records and blocks. Portable table-driven code: the
// same bytes give the same checksum on every platform.
#pragma once

#include <cstdint>
#include <string_view>

namespace weir::models::mimir::detail {

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace weir::models::mimir::detail
