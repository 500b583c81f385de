// What an object-storage request returns: a status, like an S3 HTTP status,
// plus the object's data or metadata when it succeeded.
//
// Plain values, copied freely. `timeout` is ambiguous for a PUT or DELETE:
// the request may or may not have been applied (see ObjectStoreFaults).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace weir::models::objstore {

enum class ObjectStatus {
  ok,
  not_found,      // 404 NoSuchKey
  invalid_range,  // 416: a range GET starting at or past the end of the object
  slow_down,      // 503 SlowDown: retry with backoff
  timeout,        // no answer within the client's timeout (ambiguous for writes)
  unavailable,    // the endpoint refused the connection
};
const char* to_string(ObjectStatus status);
// Whether trying again later may succeed.
bool is_retriable(ObjectStatus status);

struct ObjectInfo {
  std::string key;
  std::uint64_t size_bytes = 0;
  std::uint64_t version = 0;  // increases with every write to the store
  std::uint64_t etag = 0;     // digest of the contents
  bool operator==(const ObjectInfo&) const = default;
};

struct PutResult {
  ObjectStatus status = ObjectStatus::ok;
  std::uint64_t version = 0;
  std::uint64_t etag = 0;
  bool ok() const { return status == ObjectStatus::ok; }
};

struct GetResult {
  ObjectStatus status = ObjectStatus::ok;
  std::string data;                     // the object, or the requested range of it
  std::uint64_t object_size_bytes = 0;  // of the whole object
  std::uint64_t version = 0;
  std::uint64_t etag = 0;
  bool ok() const { return status == ObjectStatus::ok; }
};

struct ListResult {
  ObjectStatus status = ObjectStatus::ok;
  std::vector<ObjectInfo> objects;  // in key order
  bool truncated = false;           // more keys follow the last one returned
  bool ok() const { return status == ObjectStatus::ok; }
};

struct DeleteResult {
  ObjectStatus status = ObjectStatus::ok;  // ok also when the key did not exist, as in S3
  bool ok() const { return status == ObjectStatus::ok; }
};

}  // namespace weir::models::objstore
