#include "crc32c.h"

#include <array>

namespace weir::models::mimir::detail {
namespace {

constexpr std::uint32_t kPolynomialReflected = 0x82F63B78U;

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (c >> 1) ^ kPolynomialReflected : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kTable = make_table();

}  // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) {
  crc = ~crc;
  for (char ch : bytes) crc = kTable[(crc ^ static_cast<std::uint8_t>(ch)) & 0xffU] ^ (crc >> 8);
  return ~crc;
}

}  // namespace weir::models::mimir::detail
