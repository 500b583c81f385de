// The byte-level framing of trace files shared by the writer and the reader:
// the running checksum, little-endian integers and varints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::replay::framing {

inline constexpr std::uint64_t kChecksumSeed = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
inline constexpr char kHeaderRecord = 'H';
inline constexpr char kEventsRecord = 'E';
inline constexpr char kFooterRecord = 'F';
inline constexpr std::uint64_t kMaxRecordBytes = 0x7fffffff;  // protobuf parses at most INT_MAX bytes
inline constexpr std::size_t kPreambleBytes = 12;  // magic + version
inline constexpr std::size_t kTrailerBytes = 8;

// FNV-1a 64, continued from `h` over `bytes`.
std::uint64_t checksum(std::uint64_t h, std::string_view bytes);

std::string fixed_le(std::uint64_t value, int bytes);
std::uint64_t read_fixed_le(std::string_view bytes);  // bytes.size() <= 8

std::string varint(std::uint64_t value);
// Decodes a varint at `pos` and advances it; nothing if malformed or cut off.
std::optional<std::uint64_t> read_varint(std::string_view bytes, std::size_t& pos);

}  // namespace weir::replay::framing
