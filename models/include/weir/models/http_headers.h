// HTTP header blocks, as saved next to remote-write captures (req-NNNN.hdr).
//
// Input: lines "Name: value", separated by "\n" or "\r\n". Blank lines are
// skipped. Names are case-insensitive (lookups ignore case; the map keeps the
// spelling first seen); values are trimmed of surrounding spaces and tabs; a
// repeated name joins its values with ", " (RFC 9110 list semantics). A line
// with no ':', an empty name, a name with whitespace, or a folded line (one
// that starts with whitespace) is a DecodeError naming the line number.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "weir/models/decode_result.h"

namespace weir::models {

struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept;
  // Whether a and b are equal, ignoring ASCII case.
  static bool equal(std::string_view a, std::string_view b) noexcept;
};

using HttpHeaders = std::map<std::string, std::string, CaseInsensitiveLess>;

DecodeResult<HttpHeaders> parse_http_headers(std::string_view text);

// Reads and parses a header file; errors are prefixed with the file's path.
DecodeResult<HttpHeaders> read_http_headers_file(const std::filesystem::path& file);

}  // namespace weir::models
