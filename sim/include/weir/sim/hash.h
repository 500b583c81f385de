// Small, portable hash helpers shared by the runtime: FNV-1a over bytes (for
// naming random streams and trace kinds) and a 64-bit mixer (for folding
// values into the trace hash). Pure functions, constexpr where possible.
#pragma once

#include <cstdint>
#include <string_view>

namespace weir::sim {

constexpr std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The splitmix64 finalizer: a bijection that spreads every input bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Order-sensitive combination of a running hash with one more value.
constexpr std::uint64_t hash_combine(std::uint64_t h, std::uint64_t v) {
  return mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

}  // namespace weir::sim
