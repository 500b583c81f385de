#include "weir/models/http_headers.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "read_file.h"

namespace weir::models {
namespace {

// ASCII only and locale-free: header names are ASCII tokens.
char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_valid_name(std::string_view name) noexcept {
  return std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7F; });
}

std::optional<DecodeError> add_line(HttpHeaders& headers, std::string_view line, std::size_t number) {
  const auto fail = [number](std::string_view what) {
    return DecodeError{fmt::format("headers: line {}: {}", number, what)};
  };
  if (is_space(line.front())) return fail("folded (continuation) lines are not supported");
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return fail("no ':' between name and value");
  const std::string_view name = line.substr(0, colon);
  if (name.empty()) return fail("empty header name");
  if (!is_valid_name(name)) return fail("header name contains whitespace or control characters");
  const std::string_view value = trim(line.substr(colon + 1));
  auto [it, inserted] = headers.try_emplace(std::string(name), value);
  if (!inserted) it->second.append(", ").append(value);
  return std::nullopt;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return ascii_lower(x) < ascii_lower(y); });
}

bool CaseInsensitiveLess::equal(std::string_view a, std::string_view b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

DecodeResult<HttpHeaders> parse_http_headers(std::string_view text) {
  HttpHeaders headers;
  std::size_t number = 1;
  for (std::size_t start = 0; start < text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      if (auto problem = add_line(headers, line, number)) return *problem;
    }
    start = end + 1;
  }
  return headers;
}

DecodeResult<HttpHeaders> read_http_headers_file(const std::filesystem::path& file) {
  auto text = detail::read_whole_file(file);
  if (!text) return text.error();
  auto headers = parse_http_headers(text.value());
  if (!headers) return headers.error().in(file.string());
  return headers;
}

}  // namespace weir::models
