#include "weir/replay/trace_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "framing.h"
#include "weir/replay/proto/trace.pb.h"

namespace weir::replay {
namespace {

// A problem with the bytes; its message is the one-line reason.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Record {
  char type;
  std::size_t start;  // of the type byte
  std::string_view body;
};

// Splits the records between the preamble and the trailer; the last one
// must be the footer, and exactly the trailer must follow it.
std::vector<Record> split_records(std::string_view bytes) {
  std::vector<Record> records;
  std::size_t pos = framing::kPreambleBytes;
  while (true) {
    if (pos >= bytes.size()) throw FormatError("truncated: the file ends before its footer");
    const std::size_t start = pos;
    const char type = bytes[pos++];
    if (type != framing::kHeaderRecord && type != framing::kEventsRecord && type != framing::kFooterRecord) {
      throw FormatError(fmt::format("corrupt: unknown record type at byte {}", start));
    }
    const auto length = framing::read_varint(bytes, pos);
    if (!length) throw FormatError("truncated: the file ends inside a record's length");
    if (*length > framing::kMaxRecordBytes) throw FormatError(fmt::format("corrupt: record at byte {} is too long", start));
    if (*length > bytes.size() - pos) throw FormatError(fmt::format("truncated: the record at byte {} is cut off", start));
    records.push_back(Record{type, start, bytes.substr(pos, *length)});
    pos += *length;
    if (type != framing::kFooterRecord) continue;
    const std::size_t left = bytes.size() - pos;
    if (left < framing::kTrailerBytes) throw FormatError("truncated: the checksum trailer is cut off");
    if (left > framing::kTrailerBytes) throw FormatError("corrupt: bytes after the trailer");
    return records;
  }
}

// Checks the trailer's checksum of the whole body and returns the checksum
// of the records before the footer (which the footer holds), both in one
// pass: FNV-1a continues from where it stopped.
std::uint64_t verify_checksum(std::string_view bytes, std::size_t footer_start) {
  const std::size_t body = bytes.size() - framing::kTrailerBytes;
  const std::uint64_t records = framing::checksum(framing::kChecksumSeed, bytes.substr(0, footer_start));
  const std::uint64_t whole = framing::checksum(records, bytes.substr(footer_start, body - footer_start));
  if (whole != framing::read_fixed_le(bytes.substr(body))) {
    throw FormatError("checksum mismatch: the file was changed or damaged");
  }
  return records;
}

TraceHeader to_header(const pb::Header& m) {
  TraceHeader h;
  h.format_version = m.format_version();
  h.weir_version = m.weir_version();
  h.scenario = m.scenario();
  h.scenario_spec_text = m.scenario_spec_text();
  h.seed = m.seed();
  h.overrides.assign(m.overrides().begin(), m.overrides().end());
  return h;
}

// The values of the batch's events, read column by column.
class ValueColumns {
 public:
  explicit ValueColumns(const pb::EventBatch& batch) : batch_(batch) {
    const int n = batch.time_delta_ns_size();
    const bool has_values = batch.field_count_size() != 0 || batch.text_mask_size() != 0;
    if (has_values && (batch.field_count_size() != n || batch.text_mask_size() != n)) {
      throw FormatError("corrupt: an event batch has value columns of the wrong length");
    }
  }

  // Appends event i's values to the file; returns (first, count).
  std::pair<std::uint32_t, std::uint32_t> take(int i, TraceFile& file) {
    if (batch_.field_count_size() == 0) return {0, 0};
    const std::uint32_t count = batch_.field_count(i);
    const std::uint64_t mask = batch_.text_mask(i);
    if (count > kMaxEventFields) throw FormatError("corrupt: an event has too many values");
    const auto first = static_cast<std::uint32_t>(file.values.size());
    for (std::uint32_t v = 0; v < count; ++v) file.values.push_back(next_value((mask >> v) & 1, file));
    return {first, count};
  }

  void expect_all_taken() const {
    if (number_ != batch_.numbers_size() || text_ != batch_.texts_size()) {
      throw FormatError("corrupt: an event batch holds values no event claims");
    }
  }

 private:
  RecordedValue next_value(bool is_text, TraceFile& file) {
    if (is_text) {
      if (text_ >= batch_.texts_size()) throw FormatError("corrupt: an event batch lacks a text value");
      file.texts.push_back(batch_.texts(text_++));
      return RecordedValue{0, static_cast<std::int32_t>(file.texts.size() - 1)};
    }
    if (number_ >= batch_.numbers_size()) throw FormatError("corrupt: an event batch lacks a number value");
    return RecordedValue{batch_.numbers(number_++), -1};
  }

  const pb::EventBatch& batch_;
  int number_ = 0;
  int text_ = 0;
};

void append_kinds(const pb::EventBatch& batch, TraceFile& file) {
  if (batch.new_kind_texts_size() != 0 && batch.new_kind_texts_size() != batch.new_kinds_size()) {
    throw FormatError("corrupt: an event batch has kind sentences of the wrong length");
  }
  for (int k = 0; k < batch.new_kinds_size(); ++k) {
    file.kinds.push_back(batch.new_kinds(k));
    file.kind_texts.push_back(batch.new_kind_texts_size() == 0 ? std::string() : batch.new_kind_texts(k));
  }
}

void append_batch(const pb::EventBatch& batch, std::int64_t& time_ns, TraceFile& file) {
  const int n = batch.time_delta_ns_size();
  if (batch.node_size() != n || batch.kind_size() != n || batch.digest_size() != n) {
    throw FormatError("corrupt: an event batch has columns of different lengths");
  }
  append_kinds(batch, file);
  ValueColumns values(batch);
  for (int i = 0; i < n; ++i) {
    if (batch.kind(i) >= file.kinds.size()) throw FormatError("corrupt: an event names an unknown kind");
    time_ns += batch.time_delta_ns(i);
    const auto [first, count] = values.take(i, file);
    file.events.push_back(RecordedEvent{time_ns, batch.node(i), batch.kind(i), batch.digest(i), first, count});
  }
  values.expect_all_taken();
}

properties::Violation from_message(const pb::Violation& m) {
  properties::Violation v{m.property(), m.message()};
  const pb::Evidence& in = m.evidence();
  properties::Evidence& e = v.evidence;
  if (in.has_write()) e.write = in.write();
  if (in.has_read()) e.read = in.read();
  if (in.has_series()) e.series = in.series();
  if (in.has_sample_ts_ms()) e.sample_ts_ms = in.sample_ts_ms();
  if (in.has_partition()) e.partition = in.partition();
  if (in.has_offset()) e.offset = in.offset();
  e.records.assign(in.records().begin(), in.records().end());
  e.zones.assign(in.zones().begin(), in.zones().end());
  if (in.has_from_ns()) e.from_ns = in.from_ns();
  if (in.has_to_ns()) e.to_ns = in.to_ns();
  return v;
}

template <typename Message>
Message parse_as(const Record& record, const char* what) {
  Message message;
  if (!message.ParseFromArray(record.body.data(), static_cast<int>(record.body.size()))) {
    throw FormatError(fmt::format("corrupt: the {} at byte {} does not parse", what, record.start));
  }
  return message;
}

TraceFile parse_checked(std::string_view bytes) {
  if (bytes.size() < kTraceMagic.size() || bytes.substr(0, kTraceMagic.size()) != kTraceMagic) {
    throw FormatError("not a weir trace file (bad magic)");
  }
  if (bytes.size() < framing::kPreambleBytes) throw FormatError("truncated: the file ends inside its preamble");
  const auto version = framing::read_fixed_le(bytes.substr(kTraceMagic.size(), 4));
  if (version < kOldestTraceFormatVersion || version > kTraceFormatVersion) {
    throw FormatError(fmt::format("trace format version {} is not supported (this weir reads versions {} to {})",
                                  version, kOldestTraceFormatVersion, kTraceFormatVersion));
  }
  const auto records = split_records(bytes);
  const std::uint64_t records_checksum = verify_checksum(bytes, records.back().start);
  const auto footer = parse_as<pb::Footer>(records.back(), "footer");
  if (footer.checksum() != records_checksum) {
    throw FormatError("checksum mismatch: the footer's checksum does not match the records");
  }
  if (records.front().type != framing::kHeaderRecord) throw FormatError("corrupt: the file does not start with a header");
  TraceFile file;
  file.header = to_header(parse_as<pb::Header>(records.front(), "header"));
  if (file.header.format_version != version) throw FormatError("corrupt: header and preamble disagree on the version");
  std::int64_t time_ns = 0;
  // Each event takes 4 bytes at least (four columns), which bounds a forged count.
  file.events.reserve(std::min<std::uint64_t>(footer.events(), bytes.size() / 4));
  for (std::size_t i = 1; i + 1 < records.size(); ++i) {
    if (records[i].type != framing::kEventsRecord) throw FormatError("corrupt: a second header among the events");
    append_batch(parse_as<pb::EventBatch>(records[i], "event batch"), time_ns, file);
  }
  if (footer.events() != file.events.size()) {
    throw FormatError(fmt::format("corrupt: the footer counts {} events, the file holds {}", footer.events(),
                                  file.events.size()));
  }
  file.trace_hash = footer.trace_hash();
  file.history = footer.history();
  file.node_names.assign(footer.node_names().begin(), footer.node_names().end());
  file.node_zones.assign(footer.node_zones().begin(), footer.node_zones().end());
  for (const auto& violation : footer.violations()) file.violations.push_back(from_message(violation));
  return file;
}

}  // namespace

std::variant<TraceFile, std::string> TraceReader::parse(std::string_view bytes, std::string_view name) {
  try {
    return parse_checked(bytes);
  } catch (const FormatError& e) {
    return fmt::format("{}: {}", name, e.what());
  }
}

std::variant<TraceFile, std::string> TraceReader::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("{}: cannot read the trace file", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return fmt::format("{}: read failed", path);
  return parse(bytes.str(), path);
}

}  // namespace weir::replay
