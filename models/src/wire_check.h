// Private: a protobuf wire-format check that says what is wrong and where.
//
// protobuf's own parser only answers yes or no. check_wire_format walks the
// bytes as an encoded message of `type`, following the schema into known
// message fields and checking known string fields are valid UTF-8 (proto3
// requires it), and accepts what protobuf's parser accepts (unknown fields,
// groups, non-minimal varints). It returns nothing for well-formed bytes, else
// the first problem with its field path and byte offset, e.g.
// "timeseries[3].labels[0] needs 12 bytes at byte 4031, 5 left".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>

namespace weir::models::detail {

struct WireProblem {
  bool truncated = false;  // the bytes end before something they announce
  std::string detail;
};

std::optional<WireProblem> check_wire_format(std::string_view bytes, const google::protobuf::Descriptor& type);

// UTF-8 as protobuf checks it: no overlong forms, no surrogates, <= U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace weir::models::detail
