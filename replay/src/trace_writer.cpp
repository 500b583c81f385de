#include "weir/replay/trace_writer.h"

#include <cstdio>
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "framing.h"
#include "weir/replay/proto/trace.pb.h"

namespace weir::replay {
namespace {

pb::Violation to_message(const properties::Violation& violation) {
  pb::Violation m;
  m.set_property(violation.property);
  m.set_message(violation.message);
  const properties::Evidence& e = violation.evidence;
  pb::Evidence& out = *m.mutable_evidence();
  if (e.write) out.set_write(*e.write);
  if (e.read) out.set_read(*e.read);
  if (e.series) out.set_series(*e.series);
  if (e.sample_ts_ms) out.set_sample_ts_ms(*e.sample_ts_ms);
  if (e.partition) out.set_partition(*e.partition);
  if (e.offset) out.set_offset(*e.offset);
  for (const auto record : e.records) out.add_records(record);
  for (const auto& zone : e.zones) out.add_zones(zone);
  if (e.from_ns) out.set_from_ns(*e.from_ns);
  if (e.to_ns) out.set_to_ns(*e.to_ns);
  return m;
}

}  // namespace

TraceWriter::TraceWriter(std::string path, TraceHeader header)
    : path_(std::move(path)), temp_path_(path_ + ".tmp"), checksum_(framing::kChecksumSeed) {
  out_.open(temp_path_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    error_ = fmt::format("{}: cannot create the trace file", temp_path_);
    return;
  }
  write_raw(kTraceMagic);
  write_raw(framing::fixed_le(kTraceFormatVersion, 4));
  pb::Header message;
  message.set_format_version(kTraceFormatVersion);
  message.set_weir_version(WEIR_VERSION);
  message.set_scenario(header.scenario);
  message.set_scenario_spec_text(header.scenario_spec_text);
  message.set_seed(header.seed);
  for (const auto& o : header.overrides) message.add_overrides(o);
  write_record(framing::kHeaderRecord, message.SerializeAsString());
}

TraceWriter::~TraceWriter() {
  if (finished_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

void TraceWriter::write_raw(std::string_view bytes) {
  if (error_) return;
  checksum_ = framing::checksum(checksum_, bytes);
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out_) error_ = fmt::format("{}: write failed", temp_path_);
}

void TraceWriter::write_record(char type, const std::string& message) {
  write_raw(std::string_view(&type, 1));
  write_raw(framing::varint(message.size()));
  write_raw(message);
}

std::uint32_t TraceWriter::kind_index(const sim::TraceKind& kind) {
  const auto [it, inserted] = kind_by_id_.try_emplace(kind.id(), kinds_);
  if (inserted) {
    ++kinds_;
    new_kinds_.emplace_back(kind.name());
    new_kind_texts_.emplace_back(kind.text());
  }
  return it->second;
}

void TraceWriter::on_event(const sim::TraceEvent& event) {
  const std::int64_t time_ns = event.time.ns();
  time_delta_ns_.push_back(time_ns - last_time_ns_);
  last_time_ns_ = time_ns;
  node_.push_back(event.node);
  kind_.push_back(kind_index(event.kind));
  digest_.push_back(event.digest);
  append_values(event.fields);
  ++events_;
  if (time_delta_ns_.size() >= kBatchEvents) flush_batch();
}

void TraceWriter::append_values(std::span<const sim::TraceField> fields) {
  // Simulation::event bounds the count by the kind's sentence; a sentence
  // with more placeholders than the mask has bits would be a weir bug.
  const auto count = static_cast<std::uint32_t>(std::min<std::size_t>(fields.size(), kMaxEventFields));
  std::uint64_t mask = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (fields[i].is_text()) {
      mask |= std::uint64_t{1} << i;
      texts_.emplace_back(fields[i].text());
    } else {
      numbers_.push_back(fields[i].number());
    }
  }
  field_count_.push_back(count);
  text_mask_.push_back(mask);
}

void TraceWriter::flush_batch() {
  if (time_delta_ns_.empty()) return;
  pb::EventBatch batch;
  batch.mutable_time_delta_ns()->Add(time_delta_ns_.begin(), time_delta_ns_.end());
  batch.mutable_node()->Add(node_.begin(), node_.end());
  batch.mutable_kind()->Add(kind_.begin(), kind_.end());
  batch.mutable_digest()->Add(digest_.begin(), digest_.end());
  for (auto& name : new_kinds_) batch.add_new_kinds(std::move(name));
  for (auto& text : new_kind_texts_) batch.add_new_kind_texts(std::move(text));
  batch.mutable_field_count()->Add(field_count_.begin(), field_count_.end());
  batch.mutable_text_mask()->Add(text_mask_.begin(), text_mask_.end());
  batch.mutable_numbers()->Add(numbers_.begin(), numbers_.end());
  for (auto& text : texts_) batch.add_texts(std::move(text));
  write_record(framing::kEventsRecord, batch.SerializeAsString());
  time_delta_ns_.clear();
  node_.clear();
  kind_.clear();
  digest_.clear();
  new_kinds_.clear();
  new_kind_texts_.clear();
  field_count_.clear();
  text_mask_.clear();
  numbers_.clear();
  texts_.clear();
}

std::optional<std::string> TraceWriter::finish(const TraceEnding& ending) {
  flush_batch();
  pb::Footer footer;
  footer.set_trace_hash(ending.trace_hash);
  footer.set_events(events_);
  footer.set_history(ending.history);
  footer.set_checksum(checksum_);
  for (const auto& name : ending.node_names) footer.add_node_names(name);
  for (const auto& zone : ending.node_zones) footer.add_node_zones(zone);
  for (const auto& violation : ending.violations) *footer.add_violations() = to_message(violation);
  write_record(framing::kFooterRecord, footer.SerializeAsString());
  const std::string trailer = framing::fixed_le(checksum_, 8);
  write_raw(trailer);
  if (!error_) {
    out_.flush();
    if (!out_) error_ = fmt::format("{}: write failed", temp_path_);
  }
  out_.close();
  if (!error_) {
    std::error_code ec;
    std::filesystem::rename(temp_path_, path_, ec);
    if (ec) error_ = fmt::format("{}: cannot rename to {}: {}", temp_path_, path_, ec.message());
  }
  if (error_) return error_;
  finished_ = true;
  return std::nullopt;
}

}  // namespace weir::replay
