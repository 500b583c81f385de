#include "weir/sim/random.h"

#include <cmath>

#include "weir/sim/hash.h"

namespace weir::sim {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  return mix64(state);
}

__extension__ typedef unsigned __int128 uint128;

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Random::Random(std::uint64_t seed) : key_(seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) word = splitmix64(state);
}

Random Random::fork(std::string_view name) const {
  return Random(hash_combine(key_, fnv1a64(name)));
}

std::uint64_t Random::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Random::below(std::uint64_t bound) {
  uint128 m = static_cast<uint128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = -bound % bound;
    while (low < threshold) {
      m = static_cast<uint128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Random::uniform_int(std::int64_t lo, std::int64_t hi) {
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(next_u64());
  return lo + static_cast<std::int64_t>(below(span + 1));
}

double Random::uniform_real() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Random::uniform_real(double lo, double hi) { return lo + (hi - lo) * uniform_real(); }

bool Random::bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return uniform_real() < p;
}

double Random::exponential(double mean) { return -mean * std::log1p(-uniform_real()); }

double Random::normal(double mean, double stddev) {
  // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
  const double u1 = 1.0 - uniform_real();
  const double u2 = uniform_real();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  return mean + stddev * radius * std::cos(2.0 * M_PI * u2);
}

double Random::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

double Random::pareto(double scale, double shape) {
  const double u = 1.0 - uniform_real();  // (0, 1]
  return scale / std::pow(u, 1.0 / shape);
}

}  // namespace weir::sim
