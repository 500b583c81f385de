#include "weir/models/objstore/options.h"

#include "weir/models/objstore/results.h"

namespace weir::models::objstore {
namespace {

bool is_probability(double p) { return p >= 0.0 && p <= 1.0; }

std::optional<std::string> prefixed(const char* what, const std::optional<std::string>& error) {
  if (!error) return std::nullopt;
  std::string message(what);
  message.append(": ");
  message.append(*error);
  return message;
}

}  // namespace

const char* to_string(ObjectStatus status) {
  switch (status) {
    case ObjectStatus::ok: return "ok";
    case ObjectStatus::not_found: return "not_found";
    case ObjectStatus::invalid_range: return "invalid_range";
    case ObjectStatus::slow_down: return "slow_down";
    case ObjectStatus::timeout: return "timeout";
    case ObjectStatus::unavailable: return "unavailable";
  }
  return "unknown";
}

bool is_retriable(ObjectStatus status) {
  return status == ObjectStatus::slow_down || status == ObjectStatus::timeout || status == ObjectStatus::unavailable;
}

std::optional<std::string> ObjectStoreFaults::validate() const {
  if (!(latency_multiplier > 0.0)) return "latency_multiplier must be positive";
  for (const StallWindow& w : stalls) {
    if (w.end < w.start) return "a stall window ends before it starts";
  }
  if (!is_probability(slow_down_probability)) return "slow_down_probability must be in [0, 1]";
  if (!is_probability(timeout_probability)) return "timeout_probability must be in [0, 1]";
  if (slow_down_probability + timeout_probability > 1.0) {
    return "slow_down_probability + timeout_probability must not exceed 1";
  }
  if (!is_probability(timed_out_write_applied_probability)) {
    return "timed_out_write_applied_probability must be in [0, 1]";
  }
  if (timed_out_request_hang <= sim::Duration()) return "timed_out_request_hang must be positive";
  return std::nullopt;
}

std::optional<std::string> ObjectStoreOptions::validate() const {
  if (auto e = prefixed("get_first_byte", get_first_byte.validate())) return e;
  if (auto e = prefixed("put_first_byte", put_first_byte.validate())) return e;
  if (auto e = prefixed("list_latency", list_latency.validate())) return e;
  if (auto e = prefixed("delete_latency", delete_latency.validate())) return e;
  if (bytes_per_second == 0) return "bytes_per_second must be positive";
  if (list_max_keys == 0) return "list_max_keys must be positive";
  return faults.validate();
}

}  // namespace weir::models::objstore
