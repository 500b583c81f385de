#include "wire_check.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace weir::models::detail {
namespace {

namespace pb = google::protobuf;

constexpr int kMaxDepth = 100;           // protobuf's default recursion limit
constexpr std::size_t kMaxTagBytes = 5;  // a tag is a 32-bit varint
constexpr std::size_t kMaxVarintBytes = 10;

enum WireType : unsigned { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

using Problem = std::optional<WireProblem>;

Problem truncated(std::string detail) { return WireProblem{true, std::move(detail)}; }
Problem invalid(std::string detail) { return WireProblem{false, std::move(detail)}; }

// One step of the path to the field being walked; rendered only for errors.
struct Step {
  const pb::FieldDescriptor* descriptor = nullptr;  // null: unknown field
  std::uint32_t number = 0;
  int index = 0;  // occurrence of a repeated field within its message
};

class Walker {
 public:
  explicit Walker(std::string_view bytes) : bytes_(bytes) {}

  // Walks fields from pos up to limit; a group (group != 0) ends at its end-group tag.
  Problem fields(std::size_t& pos, std::size_t limit, const pb::Descriptor* type, int depth, std::uint32_t group);

 private:
  Problem next_field(std::size_t& pos, std::size_t limit, const pb::Descriptor* type, std::size_t counts_base,
                     int depth, std::uint32_t group, bool& group_ended);
  Problem value(std::size_t& pos, std::size_t limit, unsigned wire, std::size_t tag_at, int depth);
  Problem length_delimited(std::size_t& pos, std::size_t limit, int depth);
  Problem varint(std::size_t& pos, std::size_t limit, std::size_t max_bytes, std::uint64_t& out) const;
  Problem skip(std::size_t& pos, std::size_t limit, std::size_t count) const;
  std::string path() const;  // e.g. "timeseries[3].labels[0]", or "top level"

  std::string_view bytes_;
  std::vector<Step> path_;   // outermost first
  std::vector<int> counts_;  // per open message, occurrences of each of its known fields
};

Problem Walker::fields(std::size_t& pos, std::size_t limit, const pb::Descriptor* type, int depth,
                       std::uint32_t group) {
  if (depth > kMaxDepth) return invalid(fmt::format("{} nests deeper than {} levels", path(), kMaxDepth));
  const std::size_t base = counts_.size();
  counts_.resize(base + static_cast<std::size_t>(type != nullptr ? type->field_count() : 0), 0);
  bool group_ended = false;
  while (pos < limit && !group_ended) {
    if (auto problem = next_field(pos, limit, type, base, depth, group, group_ended)) return problem;
  }
  if (group != 0 && !group_ended) return truncated(fmt::format("{} ends before its end-group tag", path()));
  counts_.resize(base);
  return std::nullopt;
}

Problem Walker::next_field(std::size_t& pos, std::size_t limit, const pb::Descriptor* type, std::size_t counts_base,
                           int depth, std::uint32_t group, bool& group_ended) {
  const std::size_t tag_at = pos;
  std::uint64_t tag = 0;
  if (auto problem = varint(pos, limit, kMaxTagBytes, tag)) return problem;
  tag &= 0xFFFFFFFFU;  // protobuf keeps the low 32 bits of an overlong tag
  const auto number = static_cast<std::uint32_t>(tag >> 3);
  const auto wire = static_cast<unsigned>(tag & 7);
  if (wire == kEndGroup) {
    group_ended = group != 0 && number == group;
    if (group_ended) return std::nullopt;
    return invalid(fmt::format("unexpected end-group tag at byte {} in {}", tag_at, path()));
  }
  if (number == 0) return invalid(fmt::format("field number 0 at byte {} in {}", tag_at, path()));
  Step step{nullptr, number, 0};
  step.descriptor = type != nullptr ? type->FindFieldByNumber(static_cast<int>(number)) : nullptr;
  if (step.descriptor != nullptr) step.index = counts_[counts_base + static_cast<std::size_t>(step.descriptor->index())]++;
  path_.push_back(step);
  if (auto problem = value(pos, limit, wire, tag_at, depth)) return problem;
  path_.pop_back();
  return std::nullopt;
}

Problem Walker::value(std::size_t& pos, std::size_t limit, unsigned wire, std::size_t tag_at, int depth) {
  std::uint64_t ignored = 0;
  switch (wire) {
    case kVarint: return varint(pos, limit, kMaxVarintBytes, ignored);
    case kFixed64: return skip(pos, limit, 8);
    case kFixed32: return skip(pos, limit, 4);
    case kLengthDelimited: return length_delimited(pos, limit, depth);
    case kStartGroup: return fields(pos, limit, nullptr, depth + 1, path_.back().number);
    default: return invalid(fmt::format("{} has invalid wire type {} (tag at byte {})", path(), wire, tag_at));
  }
}

Problem Walker::length_delimited(std::size_t& pos, std::size_t limit, int depth) {
  std::uint64_t length = 0;
  if (auto problem = varint(pos, limit, kMaxVarintBytes, length)) return problem;
  if (length > limit - pos) {
    return truncated(fmt::format("{} needs {} bytes at byte {}, {} left", path(), length, pos, limit - pos));
  }
  const std::size_t end = pos + static_cast<std::size_t>(length);
  const pb::FieldDescriptor* descriptor = path_.back().descriptor;
  const auto type = descriptor != nullptr ? descriptor->type() : pb::FieldDescriptor::TYPE_BYTES;
  if (type == pb::FieldDescriptor::TYPE_MESSAGE) {
    std::size_t inner = pos;
    if (auto problem = fields(inner, end, descriptor->message_type(), depth + 1, 0)) return problem;
  } else if (type == pb::FieldDescriptor::TYPE_STRING && !is_valid_utf8(bytes_.substr(pos, end - pos))) {
    return invalid(fmt::format("{} is not valid UTF-8 (at byte {})", path(), pos));
  }
  pos = end;
  return std::nullopt;
}

Problem Walker::varint(std::size_t& pos, std::size_t limit, std::size_t max_bytes, std::uint64_t& out) const {
  const std::size_t start = pos;
  out = 0;
  for (std::size_t i = 0; i < max_bytes; ++i) {
    if (pos >= limit) return truncated(fmt::format("{}: varint at byte {} runs past the end", path(), start));
    const auto byte = static_cast<std::uint8_t>(bytes_[pos++]);
    out |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return std::nullopt;
  }
  return invalid(fmt::format("{}: varint at byte {} is longer than {} bytes", path(), start, max_bytes));
}

Problem Walker::skip(std::size_t& pos, std::size_t limit, std::size_t count) const {
  if (count > limit - pos) {
    return truncated(fmt::format("{} needs {} bytes at byte {}, {} left", path(), count, pos, limit - pos));
  }
  pos += count;
  return std::nullopt;
}

std::string render(const Step& step) {
  if (step.descriptor == nullptr) return fmt::format("field {}", step.number);
  if (!step.descriptor->is_repeated()) return step.descriptor->name();
  return fmt::format("{}[{}]", step.descriptor->name(), step.index);
}

std::string Walker::path() const {
  if (path_.empty()) return "top level";
  constexpr std::size_t kEnds = 3;  // a deeper path keeps its first and last 3 steps
  std::string out;
  for (std::size_t i = 0; i < path_.size(); ++i) {
    if (!out.empty()) out += '.';
    if (path_.size() > 2 * kEnds && i == kEnds) {
      out += fmt::format("({} more)", path_.size() - 2 * kEnds);
      i = path_.size() - kEnds - 1;
      continue;
    }
    out += render(path_[i]);
  }
  return out;
}

// Length of the UTF-8 sequence a lead byte starts (0: not a lead byte), and
// the smallest code point that length may encode (to reject overlong forms).
int sequence_length(unsigned char lead, std::uint32_t& code_point, std::uint32_t& minimum) {
  if ((lead & 0xE0) == 0xC0) { code_point = lead & 0x1FU; minimum = 0x80; return 2; }
  if ((lead & 0xF0) == 0xE0) { code_point = lead & 0x0FU; minimum = 0x800; return 3; }
  if ((lead & 0xF8) == 0xF0) { code_point = lead & 0x07U; minimum = 0x10000; return 4; }
  return 0;
}

}  // namespace

std::optional<WireProblem> check_wire_format(std::string_view bytes, const google::protobuf::Descriptor& type) {
  std::size_t pos = 0;
  return Walker(bytes).fields(pos, bytes.size(), &type, 0, 0);
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    // Labels are nearly always ASCII: eight bytes at a time while no byte has its high bit.
    if (text.size() - i >= 8) {
      constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    const int length = sequence_length(lead, code_point, minimum);
    if (length == 0 || text.size() - i < static_cast<std::size_t>(length)) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3FU);
    }
    if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace weir::models::detail
