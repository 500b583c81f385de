#include "crc32c.h"

#include <array>
#include <cstring>

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

#if defined(__x86_64__) && defined(__GNUC__)
// SSE4.2's crc32 instruction computes exactly CRC-32C, eight bytes at a time
// (a little-endian load feeds them in memory order, as the table does).
__attribute__((target("sse4.2"))) std::uint32_t crc32c_sse42(std::string_view bytes, std::uint32_t crc) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  std::uint64_t c = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    c = __builtin_ia32_crc32di(c, word);
  }
  auto c32 = static_cast<std::uint32_t>(c);
  for (; n > 0; ++p, --n) c32 = __builtin_ia32_crc32qi(c32, static_cast<unsigned char>(*p));
  return ~c32;
}

const bool kHaveSse42 = __builtin_cpu_supports("sse4.2");
#endif

}  // namespace

std::uint32_t crc32c_portable(std::string_view bytes, std::uint32_t crc) {
  crc = ~crc;
  for (char ch : bytes) crc = kTable[(crc ^ static_cast<std::uint8_t>(ch)) & 0xffU] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveSse42) return crc32c_sse42(bytes, crc);
#endif
  return crc32c_portable(bytes, crc);
}

}  // namespace weir::models::mimir::detail
