// CRC-32C (Castagnoli), the checksum Prometheus' WAL and TSDB use, for the
// frames of weir's WAL records and blocks. The same bytes give the same
// checksum on every platform: x86-64 machines with SSE4.2 use its crc32
// instruction, others portable table-driven code, and a test holds the two
// equal.
#pragma once

#include <cstdint>
#include <string_view>

namespace weir::models::mimir::detail {

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);
// The table-driven code alone, whatever the machine.
std::uint32_t crc32c_portable(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace weir::models::mimir::detail
