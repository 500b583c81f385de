// ObjectStore: a regional, strongly consistent, S3-like object store.
//
// It adds one endpoint node per zone to the Simulation ("objstore-<zone>");
// a request from a zone goes to that zone's endpoint, so it crosses no zone.
// All endpoints serve one backing map of key -> bytes, kept here outside any
// node's process: it models the store's own replicated storage, which no
// fault of ours destroys. Writes apply atomically at the end of their
// latency, reads see the map as of their first byte, so the store is
// linearizable (read-your-writes, list-after-put), as S3 is since 2020.
//
// Ownership: the ObjectStore must outlive every run of the Simulation (the
// endpoints' handlers call into it) and must not outlive the Simulation.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/objstore/messages.h"
#include "weir/models/objstore/options.h"
#include "weir/models/objstore/results.h"
#include "weir/sim/network.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::objstore {

// An endpoint stored an object (the PUT took effect).
inline constexpr sim::TraceKind kTraceObjectPut{"objstore.put", "put {key:text} ({bytes} bytes)"};
// An endpoint answered a GET (found or not).
inline constexpr sim::TraceKind kTraceObjectGet{"objstore.get", "get {key:text}"};
// An endpoint answered a LIST.
inline constexpr sim::TraceKind kTraceObjectList{"objstore.list", "list {prefix:text}"};
// An endpoint deleted an object that existed.
inline constexpr sim::TraceKind kTraceObjectDelete{"objstore.delete", "delete {key:text}"};
// An endpoint refused a request: 503 SlowDown, or 408 for one left hanging.
inline constexpr sim::TraceKind kTraceObjectFault{"objstore.fault", "refused a request: status {status}"};

// What a bill is made of; counted when an endpoint receives a request,
// whatever its outcome.
struct ObjectStoreCounters {
  std::uint64_t put_requests = 0;
  std::uint64_t get_requests = 0;  // whole and range GETs
  std::uint64_t list_requests = 0;
  std::uint64_t delete_requests = 0;
  std::uint64_t bytes_in = 0;   // object bytes uploaded by PUTs that were applied
  std::uint64_t bytes_out = 0;  // object bytes returned by GETs
  // Outcomes of the faults.
  std::uint64_t slow_downs = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t refused = 0;  // turned away by an unavailable zone
};

class ObjectStore {
 public:
  // Throws std::invalid_argument when the options or the zones are invalid.
  ObjectStore(sim::Simulation& sim, const std::vector<std::string>& zones, ObjectStoreOptions options = {});
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  // ---- Endpoints.
  const std::vector<sim::NodeId>& endpoints() const { return endpoints_; }
  // The endpoint of `zone`, or kNoNode when the store has none there.
  sim::NodeId endpoint_in_zone(std::string_view zone) const;

  // ---- Inspection: immediate, no simulated time passes (tests, checkers).
  std::optional<ObjectInfo> stat(std::string_view key) const;
  std::shared_ptr<const std::string> peek(std::string_view key) const;  // null if absent
  std::vector<std::string> keys(std::string_view prefix) const;
  std::size_t object_count() const { return objects_.size(); }
  std::uint64_t stored_bytes() const { return stored_bytes_; }
  // The integral of stored bytes over simulated time, for storage pricing.
  double stored_byte_seconds() const;
  const ObjectStoreCounters& counters() const { return counters_; }

  // ---- Fault hooks (may be called at any time).
  const ObjectStoreFaults& faults() const { return options_.faults; }
  // Replaces every fault knob; throws std::invalid_argument if invalid.
  void set_faults(ObjectStoreFaults faults);
  // Adds a stall window [now, now + length).
  void stall_for(sim::Duration length);
  void set_zone_unavailable(std::string_view zone, bool unavailable);

 private:
  struct StoredObject {
    std::shared_ptr<const std::string> data;
    std::uint64_t version = 0;
    std::uint64_t etag = 0;
  };
  enum class Fate { normal, slow_down, hang };

  void boot_endpoint(sim::NodeId node);
  sim::Payload<PutResult> serve_put(sim::NodeId endpoint, const PutRequest& request);
  sim::Payload<GetResult> serve_get(sim::NodeId endpoint, const std::string& key, std::optional<RangeGetRequest> range);
  sim::Payload<ListResult> serve_list(sim::NodeId endpoint, const ListRequest& request);
  sim::Payload<DeleteResult> serve_delete(sim::NodeId endpoint, const DeleteRequest& request);

  // When the endpoint's zone is unavailable: refuses, or hangs then times out.
  std::optional<ObjectStatus> turn_away(sim::NodeId endpoint);
  Fate draw_fate(sim::NodeId endpoint);
  void wait_latency(sim::NodeId endpoint, const sim::Latency& first_byte, std::uint64_t bytes);
  void wait_first_byte(sim::NodeId endpoint, const sim::Latency& first_byte);
  void wait_transfer(std::uint64_t bytes);
  void wait_out_stalls();
  void hang();
  sim::Random& random_of(sim::NodeId endpoint);

  void apply_put(const std::string& key, std::shared_ptr<const std::string> data);
  bool apply_delete(const std::string& key);
  void account_storage();
  ObjectInfo info_of(const std::string& key, const StoredObject& object) const;

  sim::Simulation& sim_;
  ObjectStoreOptions options_;
  std::vector<std::string> zones_;
  std::vector<sim::NodeId> endpoints_;
  std::vector<sim::Random> randoms_;  // one stream per endpoint, by index
  std::map<std::string, StoredObject, std::less<>> objects_;
  std::uint64_t next_version_ = 1;
  std::uint64_t stored_bytes_ = 0;
  double stored_byte_seconds_ = 0;
  sim::Time storage_accounted_at_;
  ObjectStoreCounters counters_;
};

}  // namespace weir::models::objstore
