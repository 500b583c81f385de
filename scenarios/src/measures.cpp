#include "weir/scenarios/measures.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "weir/models/cost_meter.h"
#include "weir/models/kafka/protocol.h"

namespace weir::scenarios {
namespace {

constexpr double kNanosecondsPerMillisecond = 1e6;

double elapsed_ms(properties::SimTime from, properties::SimTime to) {
  return static_cast<double>(to - from) / kNanosecondsPerMillisecond;
}

// p50, p99 (and max when asked) of `values` as PREFIX_p50_ms..., nothing when empty.
void add_latencies(std::map<std::string, double>& out, const std::string& prefix,
                   const std::vector<double>& values, bool with_max) {
  if (values.empty()) return;
  out[fmt::format("{}_p50_ms", prefix)] = nearest_rank_percentile(values, 50);
  out[fmt::format("{}_p99_ms", prefix)] = nearest_rank_percentile(values, 99);
  if (with_max) out[fmt::format("{}_max_ms", prefix)] = *std::max_element(values.begin(), values.end());
}

void add_latency_measures(std::map<std::string, double>& out, const properties::History& history) {
  std::vector<double> writes;
  for (const auto& write : history.writes()) {
    if (write.acked() && write.completed_at) writes.push_back(elapsed_ms(write.invoked_at, *write.completed_at));
  }
  std::vector<double> strong;
  std::vector<double> eventual;
  for (const auto& read : history.reads()) {
    if (read.final_drain || !read.ok() || !read.completed_at) continue;
    (read.strong() ? strong : eventual).push_back(elapsed_ms(read.invoked_at, *read.completed_at));
  }
  add_latencies(out, "write_ack_latency", writes, /*with_max=*/true);
  add_latencies(out, "read_strong_latency", strong, /*with_max=*/false);
  add_latencies(out, "read_eventual_latency", eventual, /*with_max=*/false);
}

void add_cost_measures(std::map<std::string, double>& out, const sim::Network& network,
                       const models::objstore::ObjectStore* store) {
  out["cross_zone_bytes"] = static_cast<double>(network.cross_zone_bytes());
  // The log's own classes always, so a design that moves none of them
  // across zones reports 0 rather than nothing.
  for (std::string_view traffic : {models::kafka::kTrafficProduce, models::kafka::kTrafficReplication,
                                   models::kafka::kTrafficFetch, models::kafka::kTrafficMetadata}) {
    out[fmt::format("cross_zone_bytes.{}", traffic)] = 0;
  }
  for (const auto& [traffic, bytes] : network.cross_zone_bytes_by_traffic()) {
    out[fmt::format("cross_zone_bytes.{}", traffic)] = static_cast<double>(bytes);
  }
  const models::CostReport cost = models::CostMeter().measure(network, store);
  out["cross_zone_cost_usd"] = cost.cross_zone_usd;
  out["total_cost_usd"] = cost.total_usd;
  if (store == nullptr) return;
  const models::objstore::ObjectStoreCounters& requests = store->counters();
  out["objstore_put_requests"] = static_cast<double>(requests.put_requests);
  out["objstore_get_requests"] = static_cast<double>(requests.get_requests);
  out["objstore_list_requests"] = static_cast<double>(requests.list_requests);
  out["objstore_delete_requests"] = static_cast<double>(requests.delete_requests);
  out["objstore_request_cost_usd"] = cost.requests_usd;
  out["objstore_storage_cost_usd"] = cost.storage_usd;
}

}  // namespace

double nearest_rank_percentile(std::vector<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("nearest_rank_percentile of no values");
  if (!(p >= 0 && p <= 100)) throw std::invalid_argument("nearest_rank_percentile: p must be in [0, 100]");
  std::sort(values.begin(), values.end());
  // p * n before the division: exact for whole percentages, so ceil sees no
  // rounding error (0.99 * 100 is not exactly 99).
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()) / 100.0));
  return values[rank == 0 ? 0 : rank - 1];
}

std::map<std::string, double> measure(const properties::History& history, const sim::Network& network,
                                      const models::objstore::ObjectStore* store) {
  std::map<std::string, double> out;
  add_latency_measures(out, history);
  add_cost_measures(out, network, store);
  return out;
}

}  // namespace weir::scenarios
