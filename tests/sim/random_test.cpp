#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "weir/sim/latency.h"
#include "weir/sim/random.h"

using weir::sim::Duration;
using weir::sim::Latency;
using weir::sim::Random;

namespace {

std::vector<std::uint64_t> draws(Random r, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(r.next_u64());
  return out;
}

double mean_of(int n, auto&& draw) {
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += draw();
  return sum / n;
}

}  // namespace

TEST_CASE("same seed gives the same stream, another seed another stream", "[random]") {
  CHECK(draws(Random(7), 16) == draws(Random(7), 16));
  CHECK(draws(Random(7), 16) != draws(Random(8), 16));
}

TEST_CASE("forked streams depend on the name only, not on draws made before", "[random]") {
  Random a(99);
  Random b(99);
  for (int i = 0; i < 1000; ++i) b.next_u64();  // b has drawn, a has not
  CHECK(draws(a.fork("network"), 8) == draws(b.fork("network"), 8));
  CHECK(draws(a.fork("network"), 8) != draws(a.fork("disk"), 8));
  CHECK(draws(a.fork("x").fork("y"), 8) != draws(a.fork("y").fork("x"), 8));
}

TEST_CASE("uniform_int stays within its inclusive bounds and reaches both", "[random]") {
  CHECK(rc::check("uniform_int in [lo, hi]", [](std::int32_t lo, std::uint16_t span, std::uint64_t seed) {
    Random r(seed);
    const std::int64_t hi = std::int64_t{lo} + span;
    for (int i = 0; i < 50; ++i) {
      const std::int64_t v = r.uniform_int(lo, hi);
      RC_ASSERT(v >= lo);
      RC_ASSERT(v <= hi);
    }
  }));
  Random r(3);
  bool saw_lo = false, saw_hi = false;
  for (int i = 0; i < 1000; ++i) {
    const auto v = r.uniform_int(-2, 2);
    saw_lo |= v == -2;
    saw_hi |= v == 2;
  }
  CHECK(saw_lo);
  CHECK(saw_hi);
}

TEST_CASE("below is close to uniform", "[random]") {
  Random r(11);
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[r.below(10)];
  for (int c : counts) CHECK(std::abs(c - n / 10) < 600);  // about 6 standard deviations
}

TEST_CASE("distributions have the moments they promise", "[random]") {
  Random r(5);
  CHECK(mean_of(200000, [&] { return r.uniform_real(); }) == Approx(0.5).epsilon(0.01));
  CHECK(mean_of(200000, [&] { return r.exponential(3.0); }) == Approx(3.0).epsilon(0.02));
  CHECK(mean_of(200000, [&] { return r.bernoulli(0.25) ? 1.0 : 0.0; }) == Approx(0.25).epsilon(0.02));
  CHECK(mean_of(200000, [&] { return r.normal(2.0, 1.0); }) == Approx(2.0).epsilon(0.01));
  CHECK(mean_of(200000, [&] { return r.pareto(1.0, 3.0); }) == Approx(1.5).epsilon(0.03));  // shape/(shape-1)
  for (int i = 0; i < 1000; ++i) CHECK(r.pareto(2.0, 1.5) >= 2.0);
}

TEST_CASE("lognormal latency given by median and p99 reproduces both", "[random][latency]") {
  Random r(17);
  const Latency l = Latency::lognormal(Duration::milliseconds(10), Duration::milliseconds(100));
  std::vector<std::int64_t> v;
  for (int i = 0; i < 100000; ++i) v.push_back(l.sample(r).ns());
  std::sort(v.begin(), v.end());
  CHECK(static_cast<double>(v[50000]) == Approx(10e6).epsilon(0.03));
  CHECK(static_cast<double>(v[99000]) == Approx(100e6).epsilon(0.08));
}

TEST_CASE("latency validation names the bad parameter", "[latency]") {
  CHECK_FALSE(Latency::constant(Duration::milliseconds(1)).validate());
  CHECK(Latency::uniform(Duration::milliseconds(5), Duration::milliseconds(1)).validate().value().find("high") !=
        std::string::npos);
  CHECK(Latency::lognormal(Duration::milliseconds(5), Duration::milliseconds(1)).validate().value().find("p99") !=
        std::string::npos);
  CHECK(Latency::pareto(Duration::milliseconds(1), 0).validate().value().find("shape") != std::string::npos);
}
