// Remote-write capture folders and their totals.
//
// A capture folder holds request bodies req-NNNN.bin (NNNN: decimal digits),
// each with an optional req-NNNN.hdr of its HTTP headers; other files are
// ignored. Captures are visited in sorted file-name order, so results never
// depend on directory order. A body that does not decode, a header file that
// does not parse, or a Content-Encoding other than snappy is a DecodeError
// prefixed with the offending file's path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "weir/models/decode_result.h"
#include "weir/models/remote_write.h"

namespace weir::models {

struct CaptureStats {
  std::uint64_t requests = 0;
  std::uint64_t series = 0;
  std::uint64_t samples = 0;
  std::uint64_t exemplars = 0;
  std::uint64_t metadata = 0;

  CaptureStats& operator+=(const CaptureStats& other) noexcept;
  bool operator==(const CaptureStats&) const = default;
};

// The counts of one request (requests = 1).
CaptureStats count_request(const prometheus::WriteRequest& request) noexcept;

// The sorted paths of the folder's req-NNNN.bin files.
DecodeResult<std::vector<std::filesystem::path>> list_captures(const std::filesystem::path& folder);

// Decodes one capture (and checks its .hdr, if any).
DecodeResult<prometheus::WriteRequest> load_capture(const std::filesystem::path& body_file,
                                                    const DecodeOptions& options = {});

// Totals over every capture of the folder.
DecodeResult<CaptureStats> capture_stats(const std::filesystem::path& folder, const DecodeOptions& options = {});

}  // namespace weir::models
