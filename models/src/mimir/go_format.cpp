#include "go_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <system_error>

namespace weir::models::mimir::go {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

// Splits the shortest scientific form "d.ddde+XX" into digits and exponent.
void shortest_digits(double value, std::string& digits, int& exponent) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = text.find('e');
  for (char c : text.substr(0, e)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  exponent = std::stoi(std::string(text.substr(e + 1)));
}

}  // namespace

std::string_view truncate_runes(std::string_view text, std::size_t runes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_continuation(static_cast<unsigned char>(text[i]))) continue;
    if (count == runes) return text.substr(0, i);
    ++count;
  }
  return text;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      out += escaped;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
  return out;
}

std::string float_v(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits;
  int exponent = 0;
  shortest_digits(std::fabs(value), digits, exponent);
  std::string out = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    out.append(digits, 0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1, std::string::npos);
    char tail[16];
    std::snprintf(tail, sizeof(tail), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out.append(tail);
  }
  if (exponent < 0) {
    out.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0');
    return out.append(digits);
  }
  const auto point = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= point) return out.append(digits).append(point - digits.size(), '0');
  out.append(digits, 0, point).append(".");
  return out.append(digits, point, std::string::npos);
}

std::string labels_string(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  std::string out = "{";
  bool first = true;
  for (const prometheus::Label& label : labels) {
    if (!first) out += ", ";
    first = false;
    out += label.name();
    out.push_back('=');
    out += quote(label.value());
  }
  out.push_back('}');
  return out;
}

}  // namespace weir::models::mimir::go
