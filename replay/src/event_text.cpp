#include "weir/replay/event_text.h"

#include <bit>

#include <fmt/format.h>

#include "weir/replay/timeline.h"

namespace weir::replay {
namespace {

FieldType parse_type(std::string_view type) {
  if (type == "node") return FieldType::node;
  if (type == "time") return FieldType::time;
  if (type == "hex") return FieldType::hex;
  if (type == "text") return FieldType::text;
  if (type == "bool") return FieldType::boolean;
  return FieldType::number;
}

}  // namespace

EventText::EventText(const TraceFile& file) : file_(file) {
  sentences_.reserve(file.kind_texts.size());
  for (const std::string& text : file.kind_texts) sentences_.push_back(parse(text));
}

EventText::Sentence EventText::parse(std::string_view text) {
  Sentence s;
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t close = text[i] == '{' ? text.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      literal.push_back(text[i++]);
      continue;
    }
    std::string_view inside = text.substr(i + 1, close - i - 1);
    Placeholder p;
    if (!inside.empty() && inside.back() == '*') {
      p.list = true;
      inside.remove_suffix(1);
    }
    const std::size_t colon = inside.find(':');
    p.name = std::string(inside.substr(0, colon));
    if (colon != std::string_view::npos) p.type = parse_type(inside.substr(colon + 1));
    s.literals.push_back(std::move(literal));
    literal.clear();
    s.placeholders.push_back(std::move(p));
    i = close + 1;
  }
  s.literals.push_back(std::move(literal));
  return s;
}

std::string EventText::show(const RecordedValue& value, FieldType type) const {
  if (value.is_text()) return file_.texts[static_cast<std::size_t>(value.text)];
  switch (type) {
    case FieldType::number:
    case FieldType::text:
      return fmt::format("{}", value.number);
    case FieldType::node:
      return value.number < 0 ? std::string("none") : node_label(file_, static_cast<std::uint32_t>(value.number));
    case FieldType::time:
      return fmt::format("{}.{:06}s", value.number / 1'000'000'000, value.number % 1'000'000'000 / 1000);
    case FieldType::hex:
      return fmt::format("{:016x}", std::bit_cast<std::uint64_t>(value.number));
    case FieldType::boolean:
      return value.number != 0 ? "yes" : "no";
  }
  return "?";
}

std::string EventText::sentence(const RecordedEvent& event) const {
  if (event.kind >= sentences_.size() || !file_.is_domain(event)) return "";
  const Sentence& s = sentences_[event.kind];
  std::string out;
  std::uint32_t next = 0;  // the next value to show
  for (std::size_t p = 0; p < s.placeholders.size(); ++p) {
    out += s.literals[p];
    const Placeholder& placeholder = s.placeholders[p];
    const std::uint32_t take = placeholder.list ? event.value_count - std::min(next, event.value_count) : 1;
    if (placeholder.list && take == 0) out += "none";
    for (std::uint32_t i = 0; i < take; ++i, ++next) {
      if (i > 0) out += ", ";
      out += next < event.value_count ? show(file_.values[event.first_value + next], placeholder.type) : "?";
    }
  }
  out += s.literals.back();
  return out;
}

std::optional<std::size_t> EventText::find(const RecordedEvent& event, std::string_view field) const {
  if (event.kind >= sentences_.size()) return std::nullopt;
  const auto& placeholders = sentences_[event.kind].placeholders;
  for (std::size_t p = 0; p < placeholders.size(); ++p) {
    if (placeholders[p].name == field && p < event.value_count) return p;
  }
  return std::nullopt;
}

bool EventText::has_field(const RecordedEvent& event, std::string_view field) const {
  return find(event, field).has_value();
}

std::optional<std::int64_t> EventText::number(const RecordedEvent& event, std::string_view field) const {
  const auto p = find(event, field);
  if (!p) return std::nullopt;
  const RecordedValue& v = file_.values[event.first_value + *p];
  if (v.is_text()) return std::nullopt;
  return v.number;
}

std::vector<std::int64_t> EventText::numbers(const RecordedEvent& event, std::string_view field) const {
  std::vector<std::int64_t> out;
  const auto p = find(event, field);
  if (!p) return out;
  const bool list = sentences_[event.kind].placeholders[*p].list;
  const std::uint32_t end = list ? event.value_count : static_cast<std::uint32_t>(*p + 1);
  for (auto i = static_cast<std::uint32_t>(*p); i < end; ++i) {
    const RecordedValue& v = file_.values[event.first_value + i];
    if (!v.is_text()) out.push_back(v.number);
  }
  return out;
}

std::optional<std::string_view> EventText::text(const RecordedEvent& event, std::string_view field) const {
  const auto p = find(event, field);
  if (!p) return std::nullopt;
  const RecordedValue& v = file_.values[event.first_value + *p];
  if (!v.is_text()) return std::nullopt;
  return file_.texts[static_cast<std::size_t>(v.text)];
}

std::vector<std::string> EventText::field_names(std::uint32_t kind) const {
  std::vector<std::string> names;
  if (kind >= sentences_.size()) return names;
  for (const Placeholder& p : sentences_[kind].placeholders) names.push_back(p.name);
  return names;
}

}  // namespace weir::replay
