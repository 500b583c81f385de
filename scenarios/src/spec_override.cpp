#include "spec_override.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

namespace weir::scenarios {
namespace {

namespace gpb = google::protobuf;

template <typename Int>
std::optional<Int> parse_int(std::string_view text) {
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string type_name(const gpb::FieldDescriptor& field) {
  if (field.cpp_type() == gpb::FieldDescriptor::CPPTYPE_ENUM) {
    std::string names;
    for (int i = 1; i < field.enum_type()->value_count(); ++i) {
      if (!names.empty()) names += '|';
      names += field.enum_type()->value(i)->name();
    }
    return names;
  }
  return field.cpp_type_name();
}

// One step of a path: a field name, and for a repeated field an index.
struct Segment {
  std::string name;
  std::optional<int> index;
};

std::optional<std::string> parse_segment(std::string_view text, Segment& out) {
  const auto open = text.find('[');
  out.name = std::string(text.substr(0, open));
  if (out.name.empty()) return std::string("an empty field name");
  if (open == std::string_view::npos) return std::nullopt;
  if (!text.ends_with(']')) return fmt::format("'{}': an index is written [N]", text);
  const auto index = parse_int<int>(text.substr(open + 1, text.size() - open - 2));
  if (!index || *index < 0) return fmt::format("'{}': an index is a number from 0", text);
  out.index = index;
  return std::nullopt;
}

// Where a value goes: a singular field, element `index` of a repeated field,
// or (append) a new element at the end of it.
struct Slot {
  gpb::Message* message = nullptr;
  const gpb::FieldDescriptor* field = nullptr;
  int index = -1;  // -1: the field itself
  bool append = false;
  std::string path;  // as far as the slot, for errors
};

template <typename T, typename Set, typename SetRepeated, typename Add>
bool put(const Slot& s, T value, Set set, SetRepeated set_repeated, Add add) {
  const gpb::Reflection& r = *s.message->GetReflection();
  if (s.index < 0) {
    (r.*set)(s.message, s.field, std::move(value));
  } else if (s.append) {
    (r.*add)(s.message, s.field, std::move(value));
  } else {
    (r.*set_repeated)(s.message, s.field, s.index, std::move(value));
  }
  return true;
}

// Sets a scalar or enum slot from its text; false when the text is not a
// value of the field's type.
bool set_scalar(const Slot& s, const std::string& value) {
  using R = gpb::Reflection;
  switch (s.field->cpp_type()) {
    case gpb::FieldDescriptor::CPPTYPE_BOOL:
      if (auto v = parse_bool(value)) return put(s, *v, &R::SetBool, &R::SetRepeatedBool, &R::AddBool);
      return false;
    case gpb::FieldDescriptor::CPPTYPE_INT32:
      if (auto v = parse_int<std::int32_t>(value)) return put(s, *v, &R::SetInt32, &R::SetRepeatedInt32, &R::AddInt32);
      return false;
    case gpb::FieldDescriptor::CPPTYPE_INT64:
      if (auto v = parse_int<std::int64_t>(value)) return put(s, *v, &R::SetInt64, &R::SetRepeatedInt64, &R::AddInt64);
      return false;
    case gpb::FieldDescriptor::CPPTYPE_UINT32:
      if (auto v = parse_int<std::uint32_t>(value)) {
        return put(s, *v, &R::SetUInt32, &R::SetRepeatedUInt32, &R::AddUInt32);
      }
      return false;
    case gpb::FieldDescriptor::CPPTYPE_UINT64:
      if (auto v = parse_int<std::uint64_t>(value)) {
        return put(s, *v, &R::SetUInt64, &R::SetRepeatedUInt64, &R::AddUInt64);
      }
      return false;
    case gpb::FieldDescriptor::CPPTYPE_DOUBLE:
      if (auto v = parse_double(value)) return put(s, *v, &R::SetDouble, &R::SetRepeatedDouble, &R::AddDouble);
      return false;
    case gpb::FieldDescriptor::CPPTYPE_FLOAT:
      if (auto v = parse_double(value)) {
        return put(s, static_cast<float>(*v), &R::SetFloat, &R::SetRepeatedFloat, &R::AddFloat);
      }
      return false;
    case gpb::FieldDescriptor::CPPTYPE_STRING:
      return put(s, value, &R::SetString, &R::SetRepeatedString, &R::AddString);
    case gpb::FieldDescriptor::CPPTYPE_ENUM:
      // Enum names as in a spec (DISKLESS) or as on the command line (diskless).
      if (const auto* v = s.field->enum_type()->FindValueByName(upper(value))) {
        return put(s, v, &R::SetEnum, &R::SetRepeatedEnum, &R::AddEnum);
      }
      return false;
    case gpb::FieldDescriptor::CPPTYPE_MESSAGE:
      return false;
  }
  return false;
}

// Keeps the first error of a text-format value, by column (values are one line).
class FirstValueError : public gpb::io::ErrorCollector {
 public:
  void AddError(int /*line*/, gpb::io::ColumnNumber column, const std::string& message) override {
    if (!error_) error_ = fmt::format("column {}: {}", column + 1, message);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  std::optional<std::string> error_;
};

// A text-format value: `{...}` for a message or one element of a repeated
// message field, `[...]` for a whole repeated field. The value is parsed as
// "name: VALUE" into an empty message of the slot's type, then moved over.
std::optional<std::string> set_text(const Slot& s, const std::string& value) {
  const bool list = value.front() == '[';
  const bool is_message = s.field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_MESSAGE;
  if (list && !(s.field->is_repeated() && s.index < 0)) {
    return fmt::format("--set {}: only a whole repeated field takes a list [...]", s.path);
  }
  if (!list && !(is_message && (!s.field->is_repeated() || s.index >= 0))) {
    return fmt::format("--set {}: only a message takes a value in braces {{...}}", s.path);
  }
  std::unique_ptr<gpb::Message> parsed(s.message->New());
  FirstValueError errors;
  gpb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  // Columns in errors count from the value's start, as the user typed it.
  const std::string prefix = fmt::format("{}:", s.field->name());
  if (!parser.ParseFromString(prefix + value, parsed.get())) {
    return fmt::format("--set {}: '{}' does not parse ({})", s.path, value, errors.error().value_or("not a value"));
  }
  // Text after the value would parse as more fields of the parent, or more
  // elements: one value is expected.
  std::vector<const gpb::FieldDescriptor*> set_fields;
  parsed->GetReflection()->ListFields(*parsed, &set_fields);
  const bool only_the_field = set_fields.empty() ? list : set_fields.size() == 1 && set_fields.front() == s.field;
  if (!only_the_field || (s.index >= 0 && parsed->GetReflection()->FieldSize(*parsed, s.field) != 1)) {
    return fmt::format("--set {}: '{}' holds more than one value", s.path, value);
  }
  const gpb::Reflection& r = *s.message->GetReflection();
  if (s.index < 0) {
    r.ClearField(s.message, s.field);
    s.message->MergeFrom(*parsed);
    return std::nullopt;
  }
  const gpb::Message& element = parsed->GetReflection()->GetRepeatedMessage(*parsed, s.field, 0);
  gpb::Message* target = s.append ? r.AddMessage(s.message, s.field) : r.MutableRepeatedMessage(s.message, s.field, s.index);
  target->CopyFrom(element);
  return std::nullopt;
}

// Whether `value` is for the text-format parser: a message in braces, or a
// list for a whole repeated field. A string field takes any text as it is.
bool takes_text_format(const Slot& s, const std::string& value) {
  if (value.empty() || (value.front() != '{' && value.front() != '[')) return false;
  const bool is_message = s.field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_MESSAGE;
  return is_message || (s.field->is_repeated() && s.index < 0);
}

std::optional<std::string> set_value(const Slot& s, const std::string& value) {
  if (takes_text_format(s, value)) return set_text(s, value);
  if (s.field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_MESSAGE) {
    return fmt::format("--set {}: a message takes a value in braces, {{field: value ...}}, or set one of its fields",
                       s.path);
  }
  if (s.field->is_repeated() && s.index < 0) {
    return fmt::format("--set {}: a repeated field takes a list, [a, b] ([] clears it), or an index, {}[0]=VALUE",
                       s.path, s.path);
  }
  if (!set_scalar(s, value)) return fmt::format("--set {}: '{}' is not a {}", s.path, value, type_name(*s.field));
  return std::nullopt;
}

// Walks `path` from `root` to the slot it names; fields of a repeated
// message's element are reached through an index (appending at the end).
std::optional<std::string> find_slot(gpb::Message& root, const std::string_view full, Slot& slot) {
  gpb::Message* message = &root;
  std::string_view path = full;
  std::string walked;
  while (true) {
    const auto dot = path.find('.');
    Segment segment;
    if (auto error = parse_segment(path.substr(0, dot), segment)) return fmt::format("--set {}: {}", full, *error);
    const gpb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(segment.name);
    if (field == nullptr) {
      return fmt::format("--set {}: {} has no field '{}'", full, walked.empty() ? "the spec" : walked, segment.name);
    }
    std::string here = walked.empty() ? segment.name : fmt::format("{}.{}", walked, segment.name);
    int index = -1;
    bool append = false;
    if (segment.index) {
      if (!field->is_repeated()) return fmt::format("--set {}: not a repeated field, it takes no index", here);
      const int size = message->GetReflection()->FieldSize(*message, field);
      index = *segment.index;
      if (index > size) {
        return fmt::format("--set {}[{}]: past the end ({} has {} elements; [{}] appends)", here, index, here, size,
                           size);
      }
      append = index == size;
      here = fmt::format("{}[{}]", here, index);
    }
    if (dot == std::string_view::npos) {
      slot = Slot{message, field, index, append, here};
      return std::nullopt;
    }
    if (field->cpp_type() != gpb::FieldDescriptor::CPPTYPE_MESSAGE) {
      return fmt::format("--set {}: {} has no fields", full, here);
    }
    const gpb::Reflection& r = *message->GetReflection();
    if (field->is_repeated() && index < 0) {
      return fmt::format("--set {}: a repeated field's elements are reached by index, {}[0]", here, here);
    }
    if (index < 0) {
      message = r.MutableMessage(message, field);
    } else {
      message = append ? r.AddMessage(message, field) : r.MutableRepeatedMessage(message, field, index);
    }
    walked = here;
    path = path.substr(dot + 1);
  }
}

}  // namespace

std::optional<std::string> apply_override(gpb::Message& root, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) return fmt::format("--set '{}': expected PATH=VALUE", assignment);
  Slot slot;
  if (auto error = find_slot(root, assignment.substr(0, eq), slot)) return error;
  return set_value(slot, std::string(assignment.substr(eq + 1)));
}

}  // namespace weir::scenarios
