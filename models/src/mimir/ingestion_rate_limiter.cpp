#include "weir/models/mimir/ingestion_rate_limiter.h"

#include <algorithm>
#include <stdexcept>

namespace weir::models::mimir {

IngestionRateLimiter::IngestionRateLimiter(double rate_per_second, std::int64_t burst)
    : rate_per_second_(rate_per_second), burst_(burst) {
  if (!(rate_per_second > 0) || burst < 1) throw std::invalid_argument("IngestionRateLimiter: rate and burst must be positive");
}

double IngestionRateLimiter::refilled(const Bucket& bucket, sim::Time now) const {
  const double elapsed_seconds = std::max(0.0, (now - bucket.last).seconds_f());
  return std::min(static_cast<double>(burst_), bucket.tokens + elapsed_seconds * rate_per_second_);
}

double IngestionRateLimiter::tokens(std::string_view tenant, sim::Time now) const {
  auto it = buckets_.find(tenant);
  return it == buckets_.end() ? static_cast<double>(burst_) : refilled(it->second, now);
}

bool IngestionRateLimiter::allow(std::string_view tenant, sim::Time now, std::int64_t n) {
  auto it = buckets_.find(tenant);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(tenant), Bucket{static_cast<double>(burst_), now}).first;
  }
  if (n > burst_) return false;
  const double available = refilled(it->second, now);
  if (available < static_cast<double>(n)) return false;
  it->second = Bucket{available - static_cast<double>(n), now};
  return true;
}

}  // namespace weir::models::mimir
