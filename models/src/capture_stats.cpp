#include "weir/models/capture_stats.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "read_file.h"
#include "weir/models/http_headers.h"

namespace weir::models {
namespace {

namespace fs = std::filesystem;

bool is_capture_name(std::string_view name) noexcept {
  constexpr std::string_view prefix = "req-";
  constexpr std::string_view suffix = ".bin";
  if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix)) {
    return false;
  }
  const std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Checks a capture's .hdr, when there is one, against its body.
std::optional<DecodeError> check_headers(const fs::path& body_file, std::size_t body_size) {
  fs::path header_file = body_file;
  header_file.replace_extension(".hdr");
  std::error_code ignored;
  if (!fs::is_regular_file(header_file, ignored)) return std::nullopt;
  auto headers = read_http_headers_file(header_file);
  if (!headers) return headers.error();
  const HttpHeaders& map = headers.value();
  if (auto it = map.find("Content-Encoding"); it != map.end() && !CaseInsensitiveLess::equal(it->second, "snappy")) {
    return DecodeError{fmt::format("{}: Content-Encoding is \"{}\", want snappy", header_file.string(), it->second)};
  }
  if (auto it = map.find("Content-Length"); it != map.end() && it->second != std::to_string(body_size)) {
    return DecodeError{fmt::format("{}: Content-Length is {} but {} has {} bytes", header_file.string(), it->second,
                                   body_file.filename().string(), body_size)};
  }
  return std::nullopt;
}

}  // namespace

CaptureStats& CaptureStats::operator+=(const CaptureStats& other) noexcept {
  requests += other.requests;
  series += other.series;
  samples += other.samples;
  exemplars += other.exemplars;
  metadata += other.metadata;
  return *this;
}

CaptureStats count_request(const prometheus::WriteRequest& request) noexcept {
  CaptureStats stats;
  stats.requests = 1;
  stats.series = static_cast<std::uint64_t>(request.timeseries_size());
  stats.metadata = static_cast<std::uint64_t>(request.metadata_size());
  for (const prometheus::TimeSeries& series : request.timeseries()) {
    stats.samples += static_cast<std::uint64_t>(series.samples_size());
    stats.exemplars += static_cast<std::uint64_t>(series.exemplars_size());
  }
  return stats;
}

DecodeResult<std::vector<fs::path>> list_captures(const fs::path& folder) {
  std::error_code error;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored) && is_capture_name(it->path().filename().string())) files.push_back(it->path());
  }
  if (error) return DecodeError{fmt::format("{}: cannot list folder: {}", folder.string(), error.message())};
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  return files;
}

DecodeResult<prometheus::WriteRequest> load_capture(const fs::path& body_file, const DecodeOptions& options) {
  auto body = detail::read_whole_file(body_file);
  if (!body) return body.error();
  if (auto problem = check_headers(body_file, body.value().size())) return *problem;
  auto request = decode_write_request(body.value(), options);
  if (!request) return request.error().in(body_file.string());
  return request;
}

DecodeResult<CaptureStats> capture_stats(const fs::path& folder, const DecodeOptions& options) {
  auto files = list_captures(folder);
  if (!files) return files.error();
  CaptureStats total;
  for (const fs::path& file : files.value()) {
    auto request = load_capture(file, options);
    if (!request) return request.error();
    total += count_request(request.value());
  }
  return total;
}

}  // namespace weir::models
