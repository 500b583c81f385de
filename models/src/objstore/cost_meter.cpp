#include "weir/models/cost_meter.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace weir::models {
namespace {

double per_thousand(std::uint64_t requests, double usd_per_1000) {
  return static_cast<double>(requests) * usd_per_1000 / 1000.0;
}

}  // namespace

std::optional<std::string> CloudPrices::validate() const {
  if (cross_zone_usd_per_gb < 0 || put_usd_per_1000 < 0 || get_usd_per_1000 < 0 || delete_usd_per_1000 < 0 ||
      storage_usd_per_gb_month < 0) {
    return "prices must not be negative";
  }
  if (!(bytes_per_gb > 0)) return "bytes_per_gb must be positive";
  if (!(seconds_per_month > 0)) return "seconds_per_month must be positive";
  return std::nullopt;
}

CostMeter::CostMeter(CloudPrices prices) : prices_(std::move(prices)) {
  if (auto error = prices_.validate()) throw std::invalid_argument(fmt::format("cloud prices: {}", *error));
}

bool CostMeter::is_free(const std::string& traffic) const {
  return std::find(prices_.free_traffic.begin(), prices_.free_traffic.end(), traffic) != prices_.free_traffic.end();
}

CostReport CostMeter::price(const CloudUsage& usage) const {
  CostReport report;
  report.cross_zone_bytes_by_traffic = usage.cross_zone_bytes_by_traffic;
  for (const auto& [traffic, bytes] : usage.cross_zone_bytes_by_traffic) {
    const bool free = is_free(traffic);
    const double usd = free ? 0.0 : static_cast<double>(bytes) / prices_.bytes_per_gb * prices_.cross_zone_usd_per_gb;
    report.cross_zone_usd_by_traffic[traffic] = usd;
    if (!free) report.billed_cross_zone_bytes += bytes;
    report.cross_zone_usd += usd;
  }
  const objstore::ObjectStoreCounters& s3 = usage.object_store;
  report.put_usd = per_thousand(s3.put_requests, prices_.put_usd_per_1000);
  report.list_usd = per_thousand(s3.list_requests, prices_.put_usd_per_1000);
  report.get_usd = per_thousand(s3.get_requests, prices_.get_usd_per_1000);
  report.delete_usd = per_thousand(s3.delete_requests, prices_.delete_usd_per_1000);
  report.requests_usd = report.put_usd + report.list_usd + report.get_usd + report.delete_usd;
  const double gb_months = usage.stored_byte_seconds / prices_.bytes_per_gb / prices_.seconds_per_month;
  report.storage_usd = gb_months * prices_.storage_usd_per_gb_month;
  report.total_usd = report.cross_zone_usd + report.requests_usd + report.storage_usd;
  return report;
}

CostReport CostMeter::measure(const sim::Network& network, const objstore::ObjectStore* store) const {
  CloudUsage usage;
  for (const auto& [traffic, bytes] : network.cross_zone_bytes_by_traffic()) {
    usage.cross_zone_bytes_by_traffic.emplace(traffic, bytes);
  }
  if (store != nullptr) {
    usage.object_store = store->counters();
    usage.stored_byte_seconds = store->stored_byte_seconds();
  }
  return price(usage);
}

}  // namespace weir::models
