// Random: a seeded, portable pseudo-random stream with its own distributions.
//
// Every draw in a simulation comes from a Random. Streams are forked by name:
// `fork("network")` derives a child from this stream's key and the name only,
// never from how many numbers were drawn, so adding a component (or drawing
// more in one) never shifts another component's draws. The generator is
// xoshiro256**; distributions are written here because the standard library's
// differ between implementations. Cheap to copy; not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace weir::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed);

  // A child stream keyed by this stream's key and `name`.
  Random fork(std::string_view name) const;
  std::uint64_t key() const { return key_; }

  std::uint64_t next_u64();
  // Uniform in [0, bound); bound > 0. Unbiased (Lemire's method).
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [lo, hi], inclusive.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  // Uniform in [0, 1).
  double uniform_real();
  double uniform_real(double lo, double hi);
  bool bernoulli(double p);
  double exponential(double mean);
  double normal(double mean, double stddev);
  double lognormal(double mu, double sigma);
  // Pareto with minimum `scale` and tail index `shape` (> 0).
  double pareto(double scale, double shape);

 private:
  std::uint64_t key_;
  std::uint64_t s_[4];
};

}  // namespace weir::sim
