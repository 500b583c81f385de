// The Prometheus remote-write 1.0 body codec.
//
// A remote-write HTTP body is a protobuf prometheus.WriteRequest compressed
// with snappy's block format (not the framed/stream format). Decoding checks,
// in order: the body is not empty; the snappy preamble is readable; the
// uncompressed size it announces is within DecodeOptions::max_uncompressed_bytes
// (checked before allocating anything); the block is valid snappy; the bytes are
// well-formed protobuf for WriteRequest (strings valid UTF-8, as proto3
// requires). Each failure is a DecodeError whose message starts with "snappy: "
// or "protobuf: ". No input makes the decoders throw or crash.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/arena.h>

#include "weir/models/decode_result.h"
#include "weir/models/proto/remote_write.pb.h"

namespace weir::models {

struct DecodeOptions {
  // Bodies announcing more uncompressed bytes than this are refused.
  std::size_t max_uncompressed_bytes = std::size_t{64} << 20;  // 64 MiB
};

// Raw bytes <-> snappy block.
std::string snappy_compress(std::string_view bytes);
DecodeResult<std::string> snappy_uncompress(std::string_view block, const DecodeOptions& options = {});

// Protobuf bytes (uncompressed) -> WriteRequest.
DecodeResult<prometheus::WriteRequest> parse_write_request(std::string_view bytes);

// Remote-write HTTP body (snappy block of a WriteRequest) -> WriteRequest.
DecodeResult<prometheus::WriteRequest> decode_write_request(std::string_view body,
                                                            const DecodeOptions& options = {});

// The same, with the WriteRequest (and every string in it) allocated on
// `arena`, which owns it: a request decoded, split and re-encoded is then
// freed at once with its arena, not field by field.
DecodeResult<prometheus::WriteRequest*> decode_write_request(std::string_view body, const DecodeOptions& options,
                                                             google::protobuf::Arena& arena);

// An arena for one remote-write request: its first block fits a typical
// request, so most requests take one or two allocations.
google::protobuf::ArenaOptions request_arena_options();

// WriteRequest -> remote-write HTTP body. Throws std::length_error only if the
// request serializes to 2 GiB or more (protobuf's limit).
std::string encode_write_request(const prometheus::WriteRequest& request);

}  // namespace weir::models
