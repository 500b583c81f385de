// EventText: the words of a trace file's domain events. Parses each kind's
// sentence once (sim/trace.h has the syntax), fills an event's sentence with
// its values (node ids as node names, times in seconds, digests in hex), and
// looks an event's values up by field name, which is how tools follow one
// partition, offset or write through a run.
//
// Borrows the TraceFile, which must outlive it. A value whose type does not
// match its placeholder (a text where a number was declared) is shown as it
// is; a missing value is shown as "?".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/replay/trace_file.h"

namespace weir::replay {

enum class FieldType : std::uint8_t { number, node, time, hex, text, boolean };

class EventText {
 public:
  explicit EventText(const TraceFile& file);

  // The event's sentence with its values filled in; "" for a runtime event.
  std::string sentence(const RecordedEvent& event) const;
  // The named field's number (the first one, for a list); nothing if the
  // event has no such field or it holds a text.
  std::optional<std::int64_t> number(const RecordedEvent& event, std::string_view field) const;
  // Every number of a list field ({isr:node*}), or the one of a plain field.
  std::vector<std::int64_t> numbers(const RecordedEvent& event, std::string_view field) const;
  std::optional<std::string_view> text(const RecordedEvent& event, std::string_view field) const;
  bool has_field(const RecordedEvent& event, std::string_view field) const;
  // The sentence of a kind, parsed: for tests and docs.
  std::vector<std::string> field_names(std::uint32_t kind) const;

 private:
  struct Placeholder {
    std::string name;
    FieldType type = FieldType::number;
    bool list = false;
  };
  struct Sentence {
    std::vector<std::string> literals;  // one more than placeholders: text around them
    std::vector<Placeholder> placeholders;
  };

  static Sentence parse(std::string_view text);
  // The index of the named placeholder in the event's kind, if any.
  std::optional<std::size_t> find(const RecordedEvent& event, std::string_view field) const;
  std::string show(const RecordedValue& value, FieldType type) const;

  const TraceFile& file_;
  std::vector<Sentence> sentences_;  // by kind index
};

}  // namespace weir::replay
