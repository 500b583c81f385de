#include "weir/models/kafka/client/retry_backoff.h"

#include <algorithm>

namespace weir::models::kafka {
namespace {

// franz-go stops doubling after ten failures; the cap applies long before.
constexpr int kMaxDoublings = 10;

}  // namespace

sim::Duration RetryBackoff::delay(int failures, sim::Random& random) const {
  if (failures <= 0) return min;
  if (failures > kMaxDoublings) return max;
  const std::int64_t base_ns = min.ns() << (failures - 1);
  const double factor = random.uniform_real(1.0 - jitter, 1.0 + jitter);
  const auto jittered = sim::Duration::nanoseconds(static_cast<std::int64_t>(static_cast<double>(base_ns) * factor));
  return std::min(jittered, max);
}

std::optional<std::string> RetryBackoff::validate() const {
  if (min.ns() <= 0) return "retry backoff min must be positive";
  if (max < min) return "retry backoff max must be at least min";
  if (jitter < 0.0 || jitter >= 1.0) return "retry backoff jitter must be in [0, 1)";
  return std::nullopt;
}

}  // namespace weir::models::kafka
