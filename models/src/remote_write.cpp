#include "weir/models/remote_write.h"

#include <climits>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <snappy.h>

#include "wire_check.h"

namespace weir::models {
namespace {

DecodeError error(std::string message) { return DecodeError{std::move(message)}; }

// The uncompressed size a snappy block announces, if readable and allowed.
DecodeResult<std::size_t> announced_size(std::string_view block, const DecodeOptions& options) {
  if (block.empty()) return error("snappy: empty body");
  std::size_t size = 0;
  if (!snappy::GetUncompressedLength(block.data(), block.size(), &size)) {
    return error("snappy: corrupt block (unreadable length preamble)");
  }
  if (size > options.max_uncompressed_bytes) {
    return error(fmt::format("snappy: uncompressed size {} bytes exceeds the limit of {} bytes", size,
                             options.max_uncompressed_bytes));
  }
  return size;
}

}  // namespace

std::string snappy_compress(std::string_view bytes) {
  std::string block;
  snappy::Compress(bytes.data(), bytes.size(), &block);
  return block;
}

DecodeResult<std::string> snappy_uncompress(std::string_view block, const DecodeOptions& options) {
  auto size = announced_size(block, options);
  if (!size) return size.error();
  // Validate before allocating, so garbage never costs a large buffer.
  if (!snappy::IsValidCompressedBuffer(block.data(), block.size())) {
    return error(fmt::format("snappy: corrupt block ({} bytes, announcing {} uncompressed)", block.size(),
                             size.value()));
  }
  std::string bytes(size.value(), '\0');
  if (!snappy::RawUncompress(block.data(), block.size(), bytes.data())) return error("snappy: corrupt block");
  return bytes;
}

namespace {

// Parses `bytes` into `request`; nothing when they parse, else why not.
std::optional<DecodeError> parse_into(std::string_view bytes, prometheus::WriteRequest& request) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return error(fmt::format("protobuf: WriteRequest of {} bytes is over protobuf's 2 GiB limit", bytes.size()));
  }
  if (request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  // The wire check accepts exactly what the parser accepts, so it runs only
  // to say what is wrong: well-formed bytes never pay for it.
  if (auto problem = detail::check_wire_format(bytes, *prometheus::WriteRequest::descriptor())) {
    return error(fmt::format("protobuf: {} WriteRequest: {}", problem->truncated ? "truncated" : "invalid",
                             problem->detail));
  }
  return error("protobuf: invalid WriteRequest");
}

}  // namespace

DecodeResult<prometheus::WriteRequest> parse_write_request(std::string_view bytes) {
  prometheus::WriteRequest request;
  if (auto problem = parse_into(bytes, request)) return std::move(*problem);
  return request;
}

DecodeResult<prometheus::WriteRequest*> decode_write_request(std::string_view body, const DecodeOptions& options,
                                                             google::protobuf::Arena& arena) {
  auto bytes = snappy_uncompress(body, options);
  if (!bytes) return bytes.error();
  auto* request = google::protobuf::Arena::CreateMessage<prometheus::WriteRequest>(&arena);
  if (auto problem = parse_into(bytes.value(), *request)) return std::move(*problem);
  return request;
}

google::protobuf::ArenaOptions request_arena_options() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = std::size_t{64} << 10;
  options.max_block_size = std::size_t{1} << 20;
  return options;
}

DecodeResult<prometheus::WriteRequest> decode_write_request(std::string_view body, const DecodeOptions& options) {
  auto bytes = snappy_uncompress(body, options);
  if (!bytes) return bytes.error();
  return parse_write_request(bytes.value());
}

std::string encode_write_request(const prometheus::WriteRequest& request) {
  std::string bytes;
  if (!request.SerializeToString(&bytes)) {
    throw std::length_error("WriteRequest does not serialize: over protobuf's 2 GiB limit");
  }
  return snappy_compress(bytes);
}

}  // namespace weir::models
