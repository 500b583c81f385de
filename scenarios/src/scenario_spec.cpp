#include "weir/scenarios/scenario_spec.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "weir/scenarios/builtin_specs.h"

namespace weir::scenarios {
namespace {

namespace gpb = google::protobuf;

// Keeps the first error of a text-format parse as "FILE:LINE:COL: message"
// (protobuf counts lines and columns from 0; editors from 1).
class FirstError : public gpb::io::ErrorCollector {
 public:
  explicit FirstError(std::string_view file) : file_(file) {}
  void AddError(int line, gpb::io::ColumnNumber column, const std::string& message) override {
    if (!error_) error_ = fmt::format("{}:{}:{}: {}", file_, line + 1, column + 1, message);
  }
  const std::optional<std::string>& error() const { return error_; }

 private:
  std::string file_;
  std::optional<std::string> error_;
};

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

// Sets a singular scalar or enum field from its text; false when the text
// is not a value of the field's type.
bool set_scalar(gpb::Message& message, const gpb::FieldDescriptor& field, const std::string& value) {
  const gpb::Reflection& r = *message.GetReflection();
  switch (field.cpp_type()) {
    case gpb::FieldDescriptor::CPPTYPE_BOOL:
      if (auto v = parse_bool(value)) return r.SetBool(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_INT32:
      if (auto v = parse_int<std::int32_t>(value)) return r.SetInt32(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_INT64:
      if (auto v = parse_int<std::int64_t>(value)) return r.SetInt64(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_UINT32:
      if (auto v = parse_int<std::uint32_t>(value)) return r.SetUInt32(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_UINT64:
      if (auto v = parse_int<std::uint64_t>(value)) return r.SetUInt64(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_DOUBLE:
      if (auto v = parse_double(value)) return r.SetDouble(&message, &field, *v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_FLOAT:
      if (auto v = parse_double(value)) return r.SetFloat(&message, &field, static_cast<float>(*v)), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_STRING:
      r.SetString(&message, &field, value);
      return true;
    case gpb::FieldDescriptor::CPPTYPE_ENUM:
      // Enum names as in a spec (DISKLESS) or as on the command line (diskless).
      if (const auto* v = field.enum_type()->FindValueByName(upper(value))) return r.SetEnum(&message, &field, v), true;
      return false;
    case gpb::FieldDescriptor::CPPTYPE_MESSAGE:
      return false;
  }
  return false;
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

}  // namespace

std::optional<std::string> ScenarioLoader::load(const std::string& name_or_path) {
  if (const BuiltinSpecText* builtin = find_builtin_spec(name_or_path)) {
    auto error = parse(builtin->text, fmt::format("{}.textproto", builtin->name));
    source_ = name_or_path;
    return error;
  }
  std::ifstream in(name_or_path, std::ios::binary);
  if (!in) return fmt::format("{}: cannot read the scenario file", name_or_path);
  std::ostringstream text;
  text << in.rdbuf();
  auto error = parse(text.str(), name_or_path);
  source_ = name_or_path;
  return error;
}

std::optional<std::string> ScenarioLoader::parse(std::string_view text, std::string_view file) {
  FirstError errors(file);
  gpb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  pb::ScenarioSpec spec;
  if (!parser.ParseFromString(std::string(text), &spec)) {
    return errors.error().value_or(fmt::format("{}: not a ScenarioSpec", file));
  }
  if (auto error = validate_spec(spec)) return fmt::format("{}: {}", file, *error);
  spec_ = std::move(spec);
  source_ = std::string(file);
  overrides_.clear();
  return std::nullopt;
}

std::optional<std::string> ScenarioLoader::set(std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return fmt::format("--set '{}': expected PATH=VALUE", assignment);
  }
  const std::string path(assignment.substr(0, eq));
  const std::string value(assignment.substr(eq + 1));
  pb::ScenarioSpec spec = spec_;
  gpb::Message* message = &spec;
  std::string walked;
  std::string_view rest = path;
  while (true) {
    const auto dot = rest.find('.');
    const std::string name(rest.substr(0, dot));
    const gpb::FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(name);
    const std::string here = walked.empty() ? name : walked + "." + name;
    if (field == nullptr) {
      return fmt::format("--set {}: {} has no field '{}'", path, walked.empty() ? "the spec" : walked, name);
    }
    if (field->is_repeated()) return fmt::format("--set {}: a repeated field cannot be set", here);
    const bool is_message = field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_MESSAGE;
    if (dot == std::string_view::npos) {
      if (is_message) return fmt::format("--set {}: a message cannot be set; set one of its fields", here);
      if (!set_scalar(*message, *field, value)) {
        return fmt::format("--set {}: '{}' is not a {}", here, value, type_name(*field));
      }
      break;
    }
    if (!is_message) return fmt::format("--set {}: {} has no fields", path, here);
    message = message->GetReflection()->MutableMessage(message, field);
    walked = here;
    rest = rest.substr(dot + 1);
  }
  if (auto error = validate_spec(spec)) return fmt::format("--set {}: {}", assignment, *error);
  spec_ = std::move(spec);
  overrides_.emplace_back(assignment);
  return std::nullopt;
}

LoadedScenario ScenarioLoader::options() const { return to_options(spec_); }

}  // namespace weir::scenarios
