// CostMeter: turns a run's cross-zone bytes and object-store usage into
// dollars, with prices in a typed struct, so two designs can be compared on
// the same seeds.
//
// Cross-zone transfer: AWS bills $0.01/GB out of the source zone and $0.01/GB
// into the destination zone, so every byte that crosses a zone costs $0.02/GB
// in total. The Network counts each crossing byte once (by source -> target
// zone pair), hence one price, `cross_zone_usd_per_gb` = 0.02, per counted
// byte. Traffic to S3 inside its region is free; its class ("objstore") is in
// `free_traffic`. Object-store requests use S3 Standard (us-east-1) prices:
// PUT, COPY, POST and LIST $0.005 per 1,000; GET and the others $0.0004 per
// 1,000; DELETE free; storage $0.023 per GB-month.
//
// Stateless: `measure` reads a Network and an ObjectStore (both borrowed for
// the call only); `price` works on plain numbers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/objstore/object_store.h"
#include "weir/sim/network.h"

namespace weir::models {

struct CloudPrices {
  double cross_zone_usd_per_gb = 0.02;  // per byte crossing: $0.01 out + $0.01 in
  std::vector<std::string> free_traffic = {"objstore"};  // classes never billed as cross-zone
  double put_usd_per_1000 = 0.005;     // PUT, COPY, POST, LIST
  double get_usd_per_1000 = 0.0004;    // GET, SELECT and all other requests
  double delete_usd_per_1000 = 0.0;    // DELETE is free
  double storage_usd_per_gb_month = 0.023;
  double bytes_per_gb = 1024.0 * 1024.0 * 1024.0;  // a binary GB; 1e9 for decimal
  double seconds_per_month = 730.0 * 3600.0;       // AWS bills a month as 730 hours

  std::optional<std::string> validate() const;
};

// Usage to be priced: what a run measured.
struct CloudUsage {
  std::map<std::string, std::uint64_t> cross_zone_bytes_by_traffic;
  objstore::ObjectStoreCounters object_store;
  double stored_byte_seconds = 0;
};

struct CostReport {
  // Cross-zone transfer, by traffic class (free classes appear with $0).
  std::map<std::string, std::uint64_t> cross_zone_bytes_by_traffic;
  std::map<std::string, double> cross_zone_usd_by_traffic;
  std::uint64_t billed_cross_zone_bytes = 0;
  double cross_zone_usd = 0;
  // Object-store requests, by kind (LIST is billed at the PUT price).
  double put_usd = 0;
  double get_usd = 0;
  double list_usd = 0;
  double delete_usd = 0;
  double requests_usd = 0;
  double storage_usd = 0;
  double total_usd = 0;
};

class CostMeter {
 public:
  // Throws std::invalid_argument when the prices are invalid.
  explicit CostMeter(CloudPrices prices = {});

  CostReport price(const CloudUsage& usage) const;
  // `store` may be null when the run has no object store.
  CostReport measure(const sim::Network& network, const objstore::ObjectStore* store) const;
  const CloudPrices& prices() const { return prices_; }

 private:
  bool is_free(const std::string& traffic) const;

  CloudPrices prices_;
};

}  // namespace weir::models
