// Latency: a typed description of a delay distribution, sampled from a Random.
//
// Used for network links, disks and the models' service times. A lognormal is
// given by its median and p99, which is how latencies are usually reported;
// a Pareto gives a heavy tail. Values are validated once by `validate()`.
#pragma once

#include <optional>
#include <string>

#include "weir/sim/random.h"
#include "weir/sim/time.h"

namespace weir::sim {

struct Latency {
  enum class Kind { constant, uniform, exponential, lognormal, pareto };

  Kind kind = Kind::constant;
  Duration base;        // constant: the value; uniform: low; exponential: mean;
                        // lognormal: median; pareto: minimum
  Duration spread;      // uniform: high; lognormal: p99; unused otherwise
  double pareto_shape = 2.0;

  static Latency constant(Duration d) { return {Kind::constant, d, {}, 0}; }
  static Latency uniform(Duration lo, Duration hi) { return {Kind::uniform, lo, hi, 0}; }
  static Latency exponential(Duration mean) { return {Kind::exponential, mean, {}, 0}; }
  static Latency lognormal(Duration median, Duration p99) { return {Kind::lognormal, median, p99, 0}; }
  static Latency pareto(Duration minimum, double shape) { return {Kind::pareto, minimum, {}, shape}; }

  // Draws one delay; never negative.
  Duration sample(Random& random) const;
  // An error message when the parameters make no sense, else nothing.
  std::optional<std::string> validate() const;
};

}  // namespace weir::sim
