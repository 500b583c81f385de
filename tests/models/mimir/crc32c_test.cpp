// CRC-32C: the known check value, and the machine's fast path equal to the
// portable table on any bytes, so a WAL written on one machine reads on another.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <string>

#include "crc32c.h"

using weir::models::mimir::detail::crc32c;
using weir::models::mimir::detail::crc32c_portable;

TEST_CASE("crc32c gives the standard check value", "[crc32c]") {
  CHECK(crc32c("123456789") == 0xE3069283U);
  CHECK(crc32c_portable("123456789") == 0xE3069283U);
  CHECK(crc32c("") == 0U);
}

TEST_CASE("crc32c equals the portable table on any bytes and any start", "[crc32c]") {
  CHECK(rc::check("fast == portable", [](const std::string& bytes, std::uint32_t start) {
    RC_ASSERT(crc32c(bytes, start) == crc32c_portable(bytes, start));
  }));
  // Chained over a split: a frame's checksum may be taken in pieces.
  CHECK(rc::check("chained", [](const std::string& a, const std::string& b) {
    RC_ASSERT(crc32c(b, crc32c(a)) == crc32c(a + b));
  }));
}
