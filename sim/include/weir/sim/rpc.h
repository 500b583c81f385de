// Typed messages between nodes: what a payload carries and what an RPC returns.
//
// A request type names its service and its reply type, so a call and the
// handler that serves it cannot disagree on either:
//
//   struct ProduceRequest {
//     using Reply = ProduceResponse;
//     static constexpr std::string_view kService = "kafka.produce";
//     ...
//   };
//
//   network.serve<ProduceRequest>(node, [](NodeId from, const ProduceRequest& r) {
//     return Payload{ProduceResponse{...}, bytes, digest};   // Payload<ProduceResponse>
//   });
//   RpcResult<ProduceResponse> reply =
//       network.call(from, to, Payload{request, bytes, digest}, timeout);
//
// A one-way message type names its port instead (`kPort`) and travels with
// Network::send to a handler registered with Network::listen<Message>.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace weir::sim {

// A typed body plus its size on the wire and a digest for the trace.
// `traffic` names what the bytes are for (produce, replication, fetch...), so
// cross-zone bytes can be reported by cause; use string literals.
template <class T>
struct Payload {
  T body;
  std::uint64_t bytes = 0;
  std::uint64_t digest = 0;
  std::string_view traffic = "other";
};

template <class Request>
concept RpcRequest = requires {
  typename Request::Reply;
  { Request::kService } -> std::convertible_to<std::string_view>;
};

template <class Message>
concept OneWayMessage = requires {
  { Message::kPort } -> std::convertible_to<std::string_view>;
};

template <RpcRequest Request>
using ReplyOf = typename Request::Reply;

enum class RpcStatus { ok, timeout };

// The reply of a call, or nothing when it timed out (a lost request or reply,
// a crashed or partitioned server: all look alike to the caller).
template <class T>
class RpcResult {
 public:
  static RpcResult timed_out() { return RpcResult(); }
  explicit RpcResult(T value) : value_(std::move(value)) {}
  bool ok() const { return value_.has_value(); }
  RpcStatus status() const { return ok() ? RpcStatus::ok : RpcStatus::timeout; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }

 private:
  RpcResult() = default;
  std::optional<T> value_;
};

}  // namespace weir::sim
