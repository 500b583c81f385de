// The object store's wire protocol: RPC service names and request bodies,
// carried as sim::Network payloads. Replies are the result structs of
// results.h, each request naming its own. ObjectStoreClient is the usual way to speak it; the messages are
// public so that a model may issue requests on its own terms.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "weir/models/objstore/results.h"

namespace weir::models::objstore {

inline constexpr std::string_view kPutService = "objstore.put";
inline constexpr std::string_view kGetService = "objstore.get";
inline constexpr std::string_view kRangeGetService = "objstore.range_get";
inline constexpr std::string_view kListService = "objstore.list";
inline constexpr std::string_view kDeleteService = "objstore.delete";

// Traffic class of object-store requests in the network's accounting.
inline constexpr std::string_view kTrafficObjectStore = "objstore";

// HTTP request/response framing: headers, signature, status line.
inline constexpr std::uint64_t kHttpOverheadBytes = 300;

struct PutRequest {
  using Reply = PutResult;
  static constexpr std::string_view kService = kPutService;
  std::string key;
  std::shared_ptr<const std::string> data;  // shared so retries and the store need no copy
};

struct GetRequest {
  using Reply = GetResult;
  static constexpr std::string_view kService = kGetService;
  std::string key;
};

// A range GET: `length` bytes from `offset`, clipped at the end of the object.
struct RangeGetRequest {
  using Reply = GetResult;
  static constexpr std::string_view kService = kRangeGetService;
  std::string key;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// One page of a LIST (ListObjectsV2): keys with `prefix` after `start_after`.
struct ListRequest {
  using Reply = ListResult;
  static constexpr std::string_view kService = kListService;
  std::string prefix;
  std::string start_after;
  std::uint32_t max_keys = 1000;
};

struct DeleteRequest {
  using Reply = DeleteResult;
  static constexpr std::string_view kService = kDeleteService;
  std::string key;
};

}  // namespace weir::models::objstore
