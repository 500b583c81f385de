// The remote-write 1.0 layer against real Prometheus 2.42 captures
// (tests/data/remote-write/prometheus-2.42-self), hand-made bad input, and
// random input (RapidCheck).
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include <google/protobuf/stubs/common.h>
#if GOOGLE_PROTOBUF_VERSION < 4022000
#include <google/protobuf/stubs/logging.h>
#endif

#include "weir/models/capture_stats.h"
#include "weir/models/http_headers.h"
#include "weir/models/remote_write.h"
#include "remote_write_gen.h"

namespace {

using namespace weir::models;
using namespace weir::testing;
namespace fs = std::filesystem;

const fs::path kCaptures = fs::path(WEIR_TESTDATA_DIR) / "remote-write" / "prometheus-2.42-self";

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class T>
const T& require_ok(const DecodeResult<T>& result) {
  if (!result.ok()) FAIL(result.error().message);
  return result.value();
}

// The error of a decode that must fail; it must be one non-empty line.
template <class T>
std::string require_error(const DecodeResult<T>& result) {
  REQUIRE_FALSE(result.ok());
  const std::string& message = result.error().message;
  CHECK_FALSE(message.empty());
  CHECK(message.find('\n') == std::string::npos);
  return message;
}

bool is_layer_error(const std::string& message) {
  return (message.starts_with("snappy: ") || message.starts_with("protobuf: ")) &&
         message.find('\n') == std::string::npos;
}

bool same(const prometheus::WriteRequest& a, const prometheus::WriteRequest& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

// protobuf's own verdict on bytes, without its log lines about bad UTF-8.
bool protobuf_parses(const std::string& bytes, prometheus::WriteRequest& out) {
#if GOOGLE_PROTOBUF_VERSION < 4022000
  const google::protobuf::LogSilencer silence;
#endif
  return out.ParseFromString(bytes);
}

prometheus::WriteRequest example_request() {
  prometheus::WriteRequest request;
  prometheus::TimeSeries& series = *request.add_timeseries();
  for (const auto& [name, value] : {std::pair{"__name__", "http_requests_total"}, {"job", "api"}, {"zone", "ä-1"}}) {
    prometheus::Label& label = *series.add_labels();
    label.set_name(name);
    label.set_value(value);
  }
  for (int i = 0; i < 3; ++i) {
    prometheus::Sample& sample = *series.add_samples();
    sample.set_value(1.5 * i);
    sample.set_timestamp(1'700'000'000'000 + 1000 * i);
  }
  prometheus::Exemplar& exemplar = *series.add_exemplars();
  prometheus::Label& trace = *exemplar.add_labels();
  trace.set_name("trace_id");
  trace.set_value("abc123");
  exemplar.set_value(0.25);
  exemplar.set_timestamp(-5);
  request.add_timeseries();  // an empty series is legal on the wire
  prometheus::MetricMetadata& metadata = *request.add_metadata();
  metadata.set_type(prometheus::MetricMetadata::COUNTER);
  metadata.set_metric_family_name("http_requests_total");
  metadata.set_help("Requests served.");
  metadata.set_unit("requests");
  return request;
}

}  // namespace

// ---- Real captures -----------------------------------------------------------

TEST_CASE("remote-write: every Prometheus 2.42 capture decodes with the known totals", "[models][remote_write]") {
  const CaptureStats stats = require_ok(capture_stats(kCaptures));
  CHECK(stats.requests == 27);
  CHECK(stats.series == 10'597);
  CHECK(stats.samples == 10'597);
  CHECK(stats.exemplars == 0);
  CHECK(stats.metadata == 0);
}

TEST_CASE("remote-write: captures are listed in file-name order", "[models][remote_write]") {
  const std::vector<fs::path> files = require_ok(list_captures(kCaptures));
  REQUIRE(files.size() == 27);
  CHECK(files.front().filename() == "req-0000.bin");
  CHECK(files.back().filename() == "req-0026.bin");
  CHECK(std::is_sorted(files.begin(), files.end()));
}

TEST_CASE("remote-write: per-request counts and content of real captures", "[models][remote_write]") {
  const auto [name, series_count] = GENERATE(table<const char*, std::uint64_t>(
      {{"req-0000.bin", 353}, {"req-0001.bin", 394}, {"req-0013.bin", 394}, {"req-0026.bin", 394}}));
  CAPTURE(name);
  const auto decoded = load_capture(kCaptures / name);
  const prometheus::WriteRequest& request = require_ok(decoded);
  const CaptureStats stats = count_request(request);
  CHECK(stats.requests == 1);
  CHECK(stats.series == series_count);
  CHECK(stats.samples == series_count);
  CHECK(stats.exemplars == 0);
  CHECK(stats.metadata == 0);
  for (const prometheus::TimeSeries& series : request.timeseries()) {
    REQUIRE(series.samples_size() == 1);
    CHECK(series.samples(0).timestamp() > 0);
    REQUIRE(series.labels_size() >= 3);
    CHECK(series.labels(0).name() == "__name__");
    const auto out_of_order = [](const prometheus::Label& a, const prometheus::Label& b) { return a.name() >= b.name(); };
    CHECK(std::adjacent_find(series.labels().begin(), series.labels().end(), out_of_order) == series.labels().end());
  }
  const prometheus::TimeSeries& first = request.timeseries(0);
  CHECK(first.labels(1).name() == "instance");
  CHECK(first.labels(1).value() == "127.0.0.1:19090");
  CHECK(first.labels(2).name() == "job");
  CHECK(first.labels(2).value() == "prometheus");
}

TEST_CASE("remote-write: re-serializing a capture gives Prometheus' exact bytes", "[models][remote_write]") {
  const std::string raw = require_ok(snappy_uncompress(read_bytes(kCaptures / "req-0005.bin")));
  const auto parsed = parse_write_request(raw);
  CHECK(require_ok(parsed).SerializeAsString() == raw);
}

// ---- Header files --------------------------------------------------------------

TEST_CASE("remote-write: a capture's header file parses", "[models][remote_write]") {
  const auto parsed = read_http_headers_file(kCaptures / "req-0000.hdr");
  const HttpHeaders& headers = require_ok(parsed);
  CHECK(headers.size() == 6);
  CHECK(headers.at("Content-Encoding") == "snappy");
  CHECK(headers.at("content-encoding") == "snappy");
  CHECK(headers.at("Content-Type") == "application/x-protobuf");
  CHECK(headers.at("X-Prometheus-Remote-Write-Version") == "0.1.0");
  CHECK(headers.at("User-Agent") == "Prometheus/2.42.0+ds");
  CHECK(headers.at("Content-Length") == std::to_string(fs::file_size(kCaptures / "req-0000.bin")));
}

TEST_CASE("remote-write: header text parses and errors name the line", "[models][remote_write]") {
  SECTION("tenant header, CRLF line ends, trimming, repeated names") {
    const auto parsed = parse_http_headers(
        "Content-Encoding: snappy\r\nX-Scope-OrgID:  tenant-1 \r\n\r\nAccept: a\r\naccept:\tb\r\n");
    const HttpHeaders& headers = require_ok(parsed);
    CHECK(headers.size() == 3);
    CHECK(headers.at("x-scope-orgid") == "tenant-1");
    CHECK(headers.at("Content-Encoding") == "snappy");
    CHECK(headers.at("ACCEPT") == "a, b");
    CHECK(headers.begin()->first == "Accept");
  }
  SECTION("empty text") { CHECK(require_ok(parse_http_headers("")).empty()); }
  SECTION("a line with no colon") {
    CHECK(require_error(parse_http_headers("A: b\nnot a header\n")) == "headers: line 2: no ':' between name and value");
  }
  SECTION("an empty name") { CHECK(require_error(parse_http_headers(": x")) == "headers: line 1: empty header name"); }
  SECTION("a name with a space") {
    CHECK(require_error(parse_http_headers("Bad Name: x")) ==
          "headers: line 1: header name contains whitespace or control characters");
  }
  SECTION("a folded line") {
    CHECK(require_error(parse_http_headers("A: b\n  c\n")) ==
          "headers: line 2: folded (continuation) lines are not supported");
  }
  SECTION("a missing file names the file") {
    const std::string message = require_error(read_http_headers_file(kCaptures / "req-9999.hdr"));
    CHECK(message.find("req-9999.hdr: cannot open file") != std::string::npos);
  }
}

// ---- Round trips ------------------------------------------------------------------

TEST_CASE("remote-write: encode then decode round-trips", "[models][remote_write]") {
  SECTION("a request with every field") {
    const prometheus::WriteRequest request = example_request();
    const auto decoded = decode_write_request(encode_write_request(request));
    CHECK(same(require_ok(decoded), request));
    CHECK(count_request(decoded.value()) == CaptureStats{1, 2, 3, 1, 1});
  }
  SECTION("an empty request") {
    const auto decoded = decode_write_request(encode_write_request({}));
    CHECK(require_ok(decoded).timeseries_size() == 0);
  }
  SECTION("a real capture") {
    const auto first = load_capture(kCaptures / "req-0001.bin");
    const auto second = decode_write_request(encode_write_request(require_ok(first)));
    CHECK(same(require_ok(second), first.value()));  // bytes: Prometheus sends NaNs
  }
}

// ---- Bad input ------------------------------------------------------------------------

TEST_CASE("remote-write: malformed bodies give one-line errors", "[models][remote_write]") {
  const std::string body = read_bytes(kCaptures / "req-0000.bin");
  const std::string raw = require_ok(snappy_uncompress(body));

  SECTION("empty body") { CHECK(require_error(decode_write_request("")) == "snappy: empty body"); }
  SECTION("truncated payload") {
    const std::string message = require_error(decode_write_request(body.substr(0, body.size() / 2)));
    CHECK(message.starts_with("snappy: corrupt block"));
  }
  SECTION("a flipped byte in the length preamble") {
    std::string flipped = body;
    flipped[0] = static_cast<char>(flipped[0] ^ 0xFF);
    CHECK(require_error(decode_write_request(flipped)).starts_with("snappy: "));
  }
  SECTION("flipped bytes all over the body decode or fail cleanly") {
    std::size_t failures = 0;
    for (std::size_t i = 0; i < body.size(); i += (i < 64 ? 1 : 5)) {  // every byte of the head, then a sample
      std::string flipped = body;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
      const auto result = decode_write_request(flipped);
      if (result.ok()) continue;
      ++failures;
      INFO("byte " << i << ": " << result.error().message);
      REQUIRE(is_layer_error(result.error().message));
    }
    CHECK(failures > 0);
  }
  SECTION("random garbage") {
    std::mt19937_64 random(20240601);  // raw engine output is the same everywhere
    for (int i = 0; i < 200; ++i) {
      std::string garbage(1 + random() % 4096, '\0');
      for (char& c : garbage) c = static_cast<char>(random());
      REQUIRE(is_layer_error(require_error(decode_write_request(garbage))));
    }
  }
  SECTION("an announced size over the limit is refused before allocating") {
    const std::string huge("\x80\x80\x80\x80\x04garbage", 12);  // announces 1 GiB
    CHECK(require_error(decode_write_request(huge)) ==
          "snappy: uncompressed size 1073741824 bytes exceeds the limit of 67108864 bytes");
    CHECK(require_error(decode_write_request(body, DecodeOptions{1000})) ==
          "snappy: uncompressed size " + std::to_string(raw.size()) + " bytes exceeds the limit of 1000 bytes");
  }
  SECTION("valid snappy of a truncated WriteRequest") {
    const std::string message = require_error(decode_write_request(snappy_compress(raw.substr(0, raw.size() - 1))));
    CHECK(message.starts_with("protobuf: truncated WriteRequest: timeseries[352]"));
  }
  SECTION("valid snappy of an invalid wire type") {
    CHECK(require_error(decode_write_request(snappy_compress("\x0f"))) ==
          "protobuf: invalid WriteRequest: timeseries[0] has invalid wire type 7 (tag at byte 0)");
  }
  SECTION("valid snappy of a label value that is not UTF-8") {
    // WriteRequest{timeseries{labels{name: "a" value: "\xff"}}}, encoded by hand.
    const std::string bytes("\x0a\x08\x0a\x06\x0a\x01" "a" "\x12\x01\xff", 10);
    CHECK(require_error(decode_write_request(snappy_compress(bytes))) ==
          "protobuf: invalid WriteRequest: timeseries[0].labels[0].value is not valid UTF-8 (at byte 9)");
  }
  SECTION("valid snappy of text") {
    CHECK(require_error(decode_write_request(snappy_compress("hello, world"))).starts_with("protobuf: "));
  }
}

TEST_CASE("remote-write: capture folders name bad files and ignore other files", "[models][remote_write]") {
  const fs::path folder = fs::temp_directory_path() / ("weir-remote-write-test-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  fs::copy_file(kCaptures / "req-0000.bin", folder / "req-0000.bin");
  const auto error_of_folder = [&] { return require_error(capture_stats(folder)); };
  SECTION("a body that is not snappy") {
    std::ofstream(folder / "req-0001.bin", std::ios::binary) << "not snappy";
    CHECK_THAT(error_of_folder(), Catch::Contains("req-0001.bin: snappy: corrupt block"));
  }
  SECTION("a header file announcing another encoding") {
    std::ofstream(folder / "req-0000.hdr") << "Content-Encoding: gzip\n";
    CHECK_THAT(error_of_folder(), Catch::EndsWith("req-0000.hdr: Content-Encoding is \"gzip\", want snappy"));
  }
  SECTION("a header file with another length") {
    std::ofstream(folder / "req-0000.hdr") << "Content-Length: 12\n";
    CHECK_THAT(error_of_folder(), Catch::EndsWith("req-0000.hdr: Content-Length is 12 but req-0000.bin has 7090 bytes"));
  }
  SECTION("a malformed header file") {
    std::ofstream(folder / "req-0000.hdr") << "Content-Encoding snappy\n";
    CHECK_THAT(error_of_folder(), Catch::EndsWith("req-0000.hdr: headers: line 1: no ':' between name and value"));
  }
  SECTION("files not named req-NNNN.bin are ignored") {
    std::ofstream(folder / "notes.txt") << "x";
    std::ofstream(folder / "req-x.bin") << "x";
    std::ofstream(folder / "req-0001.bin.orig") << "x";
    CHECK(require_ok(capture_stats(folder)) == CaptureStats{1, 353, 353, 0, 0});
  }
  SECTION("a missing folder") {
    CHECK_THAT(require_error(capture_stats(folder / "missing")), Catch::Contains("cannot list folder"));
  }
  fs::remove_all(folder);
}

// ---- Properties ----------------------------------------------------------------------------

TEST_CASE("remote-write: properties", "[models][remote_write][property]") {
  CHECK(rc::check("random WriteRequests round-trip through encode and decode", [] {
    const prometheus::WriteRequest request = *gen_request();
    const auto decoded = decode_write_request(encode_write_request(request));
    RC_ASSERT(decoded.ok());
    RC_ASSERT(same(decoded.value(), request));
    RC_ASSERT(count_request(decoded.value()) == count_request(request));
  }));
  CHECK(rc::check("random bodies never crash the decoder", [](const std::string& body) {
    const auto decoded = decode_write_request(body);
    RC_ASSERT(decoded.ok() || is_layer_error(decoded.error().message));
  }));
  CHECK(rc::check("on random protobuf bytes the decoder agrees with protobuf", [](const std::string& bytes) {
    prometheus::WriteRequest reference;
    const bool protobuf_ok = protobuf_parses(bytes, reference);
    const auto decoded = decode_write_request(snappy_compress(bytes));
    RC_ASSERT(decoded.ok() == protobuf_ok);
    if (protobuf_ok) {
      RC_ASSERT(same(decoded.value(), reference));
    } else {
      RC_ASSERT(is_layer_error(decoded.error().message));
    }
  }));
  CHECK(rc::check("on mutated WriteRequests the decoder agrees with protobuf", [] {
    const std::string bytes = mutate(mutate((*gen_request()).SerializeAsString()));
    prometheus::WriteRequest reference;
    const bool protobuf_ok = protobuf_parses(bytes, reference);
    const auto decoded = decode_write_request(snappy_compress(bytes));
    RC_ASSERT(decoded.ok() == protobuf_ok);
    if (protobuf_ok) {
      RC_ASSERT(same(decoded.value(), reference));
    } else {
      RC_ASSERT(is_layer_error(decoded.error().message));
    }
  }));
}
