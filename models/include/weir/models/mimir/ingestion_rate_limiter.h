// IngestionRateLimiter: one distributor's per-tenant token buckets for the
// ingestion rate limit (dskit limiter.RateLimiter over golang.org/x/time/rate).
//
// Each tenant's bucket holds at most `burst` tokens, starts full and refills
// at `rate_per_second`. allow(tenant, now, n) takes n tokens if there are
// that many; otherwise it takes nothing and answers false (AllowN: a request
// bigger than the burst is never allowed). Mimir's global strategy gives each
// distributor ingestion_rate / (healthy distributors) and the whole burst;
// the caller passes the per-distributor rate.
//
// Contract: deterministic (an ordered map); time is the simulated clock and
// must not go backwards between calls for one tenant.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "weir/sim/time.h"

namespace weir::models::mimir {

class IngestionRateLimiter {
 public:
  IngestionRateLimiter(double rate_per_second, std::int64_t burst);

  bool allow(std::string_view tenant, sim::Time now, std::int64_t n);
  double rate_per_second() const { return rate_per_second_; }
  std::int64_t burst() const { return burst_; }
  // Tokens the tenant has at `now` (the full burst for an unseen tenant).
  double tokens(std::string_view tenant, sim::Time now) const;

 private:
  struct Bucket {
    double tokens = 0;
    sim::Time last;
  };
  double refilled(const Bucket& bucket, sim::Time now) const;

  double rate_per_second_;
  std::int64_t burst_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace weir::models::mimir
