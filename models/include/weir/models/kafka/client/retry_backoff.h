// RetryBackoff: how long a Kafka client waits before retrying a failed request.
//
// Reproduces franz-go's default retry backoff (kgo defaultCfg): the first
// retry waits `min`, each later one doubles it, every wait is multiplied by a
// jitter factor drawn uniformly from [1 - jitter, 1 + jitter], and the result
// is capped at `max`. A plain value type; the Random it draws from is the
// caller's, so each client keeps its own named stream.
#pragma once

#include <optional>
#include <string>

#include "weir/sim/random.h"
#include "weir/sim/time.h"

namespace weir::models::kafka {

struct RetryBackoff {
  sim::Duration min = sim::Duration::milliseconds(250);     // franz-go: 250 ms
  sim::Duration max = sim::Duration::milliseconds(2'500);   // franz-go: 2.5 s
  double jitter = 0.2;                                       // franz-go: x0.8 .. x1.2

  // The wait before retry number `failures` (1 = first retry).
  sim::Duration delay(int failures, sim::Random& random) const;
  std::optional<std::string> validate() const;
};

}  // namespace weir::models::kafka
