// WalReader: replays the frames of a WAL segment (wal_record.h) from its
// bytes, from the segment's start: it keeps the labels the segment logged
// and fills them into the records whose frames refer to them.
//
// Replay stops at the first frame that is not whole and intact, and says why:
// `truncated` when the bytes end inside a frame (a torn last write: the
// header or the payload it announces runs past the end), `corrupt` when a
// whole frame fails its checksum, announces an impossible length, or holds a
// malformed payload (a reference to a series the segment never logged among
// them). Either way every record before it was returned, and
// valid_bytes() is where the ingester should truncate the file before
// appending again. Bad bytes never throw or crash.
//
// Contract: the bytes must outlive the reader. next() fills a caller-owned
// record so a replay loop can reuse its vectors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "weir/models/mimir/wal_record.h"

namespace weir::models::mimir {

enum class WalTail : std::uint8_t { clean, truncated, corrupt };
const char* to_string(WalTail tail);

class WalReader {
 public:
  explicit WalReader(std::string_view bytes) : bytes_(bytes) {}

  // Reads the next record into `out`; false at the end or at a bad frame
  // (then tail() and tail_error() say which).
  bool next(WalRecord& out);
  std::optional<WalRecord> next();

  WalTail tail() const { return tail_; }
  const std::string& tail_error() const { return tail_error_; }
  std::size_t valid_bytes() const { return position_; }

 private:
  bool stop(WalTail tail, std::string error);

  std::string_view bytes_;
  std::size_t position_ = 0;
  WalTail tail_ = WalTail::clean;
  std::string tail_error_;
  bool stopped_ = false;
  std::unordered_map<SeriesId, Labels> logged_;
};

}  // namespace weir::models::mimir
