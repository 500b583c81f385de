#include "weir/sim/latency.h"

#include <algorithm>
#include <cmath>

namespace weir::sim {
namespace {

// z-score of the 99th percentile of a standard normal distribution.
constexpr double kZ99 = 2.3263478740408408;

Duration from_seconds(double s) { return Duration::nanoseconds(static_cast<std::int64_t>(std::max(0.0, s) * 1e9)); }

}  // namespace

Duration Latency::sample(Random& random) const {
  switch (kind) {
    case Kind::constant:
      return base;
    case Kind::uniform:
      return Duration::nanoseconds(random.uniform_int(base.ns(), spread.ns()));
    case Kind::exponential:
      return from_seconds(random.exponential(base.seconds_f()));
    case Kind::lognormal: {
      const double mu = std::log(base.seconds_f());
      const double sigma = std::log(spread.seconds_f() / base.seconds_f()) / kZ99;
      return from_seconds(random.lognormal(mu, sigma));
    }
    case Kind::pareto:
      return from_seconds(random.pareto(base.seconds_f(), pareto_shape));
  }
  return base;
}

std::optional<std::string> Latency::validate() const {
  if (base < Duration()) return "latency must not be negative";
  switch (kind) {
    case Kind::uniform:
      if (spread < base) return "uniform latency: high is below low";
      break;
    case Kind::lognormal:
      if (base <= Duration()) return "lognormal latency: median must be positive";
      if (spread <= base) return "lognormal latency: p99 must exceed the median";
      break;
    case Kind::pareto:
      if (base <= Duration()) return "pareto latency: minimum must be positive";
      if (pareto_shape <= 0) return "pareto latency: shape must be positive";
      break;
    case Kind::constant:
    case Kind::exponential:
      break;  // any non-negative base will do
  }
  return std::nullopt;
}

}  // namespace weir::sim
