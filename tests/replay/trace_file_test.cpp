// The trace file format alone: round trip, the .tmp-then-rename contract, and
// refusal of damaged files (any one-byte edit, any truncation) with a
// one-line error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "weir/replay/event_text.h"
#include "weir/replay/trace_reader.h"
#include "weir/replay/trace_writer.h"

namespace {

using weir::replay::TraceFile;
using weir::replay::TraceReader;
using weir::replay::TraceWriter;

inline constexpr weir::sim::TraceKind kSend{"test.send"};
inline constexpr weir::sim::TraceKind kRecv{"test.recv"};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("weir-replay-test-" + name)).string();
}

weir::replay::TraceHeader header() {
  weir::replay::TraceHeader h;
  h.scenario = "unit";
  h.scenario_spec_text = "name: \"unit\"\n";
  h.seed = 42;
  h.overrides = {"log.partitions=3"};
  return h;
}

// 10'000 events (more than two batches) over two kinds and three nodes.
void write_events(TraceWriter& writer) {
  for (int i = 0; i < 10'000; ++i) {
    const auto node = i % 7 == 0 ? weir::sim::kNoNode : static_cast<weir::sim::NodeId>(i % 3);
    writer.on_event({weir::sim::Time::from_ns(1000LL * i), node, i % 2 == 0 ? kSend : kRecv,
                     static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL});
  }
}

std::string write_trace(const std::string& path) {
  TraceWriter writer(path, header());
  write_events(writer);
  REQUIRE_FALSE(writer.finish({0xabcdef, "history-bytes", {"n0", "n1", "n2"}, {"zone-a", "zone-b", ""}, {}}));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string refusal(const std::string& bytes) {
  auto read = TraceReader::parse(bytes, "t.trace");
  REQUIRE(std::holds_alternative<std::string>(read));
  return std::get<std::string>(read);
}

}  // namespace

TEST_CASE("a trace file round-trips header, events and footer") {
  const std::string path = temp_path("roundtrip");
  write_trace(path);
  auto read = TraceReader::read(path);
  REQUIRE(std::holds_alternative<TraceFile>(read));
  const TraceFile& file = std::get<TraceFile>(read);
  CHECK(file.header.scenario == "unit");
  CHECK(file.header.scenario_spec_text == "name: \"unit\"\n");
  CHECK(file.header.seed == 42);
  CHECK(file.header.overrides == std::vector<std::string>{"log.partitions=3"});
  CHECK_FALSE(file.header.weir_version.empty());
  CHECK(file.trace_hash == 0xabcdef);
  CHECK(file.history == "history-bytes");
  CHECK(file.node_names == std::vector<std::string>{"n0", "n1", "n2"});
  CHECK(file.node_zones == std::vector<std::string>{"zone-a", "zone-b", ""});
  REQUIRE(file.events.size() == 10'000);
  for (int i : {0, 1, 4095, 4096, 7777, 9999}) {
    const auto& e = file.events[static_cast<std::size_t>(i)];
    CHECK(e.time_ns == 1000LL * i);
    CHECK(e.node == (i % 7 == 0 ? weir::sim::kNoNode : static_cast<std::uint32_t>(i % 3)));
    CHECK(file.kind_name(e) == (i % 2 == 0 ? "test.send" : "test.recv"));
    CHECK(e.digest == static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
  }
  std::filesystem::remove(path);
}

TEST_CASE("the writer renames FILE.tmp to FILE only in finish") {
  const std::string path = temp_path("tmp-rename");
  std::filesystem::remove(path);
  {
    TraceWriter writer(path, header());
    write_events(writer);
    CHECK(std::filesystem::exists(writer.temp_path()));
    CHECK_FALSE(std::filesystem::exists(path));
    REQUIRE_FALSE(writer.finish({}));
    CHECK(std::filesystem::exists(path));
    CHECK_FALSE(std::filesystem::exists(writer.temp_path()));
  }
  std::filesystem::remove(path);
  {
    TraceWriter abandoned(path, header());
    write_events(abandoned);
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("a writer that cannot create its file reports it in finish") {
  TraceWriter writer("/nonexistent-weir-dir/x.trace", header());
  write_events(writer);
  const auto error = writer.finish({});
  REQUIRE(error);
  CHECK(error->find("/nonexistent-weir-dir/x.trace.tmp") != std::string::npos);
}

TEST_CASE("a trace edited by one byte anywhere is refused with a one-line error") {
  const std::string bytes = write_trace(temp_path("edit"));
  std::vector<std::size_t> positions;
  for (std::size_t pos = 0; pos < bytes.size(); pos += 97) positions.push_back(pos);
  for (std::size_t tail = 1; tail <= 40; ++tail) positions.push_back(bytes.size() - tail);
  for (const std::size_t pos : positions) {
    for (const unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string edited = bytes;
      edited[pos] = static_cast<char>(static_cast<unsigned char>(edited[pos]) ^ flip);
      const std::string error = refusal(edited);
      INFO("byte " << pos << ": " << error);
      CHECK(error.rfind("t.trace: ", 0) == 0);
      CHECK(error.find('\n') == std::string::npos);
    }
  }
  std::string body_edit = bytes;
  body_edit[bytes.size() / 2] ^= 0x10;
  CHECK(refusal(body_edit).find("checksum mismatch") != std::string::npos);
  std::string magic = bytes;
  magic[0] = 'X';
  CHECK(refusal(magic).find("bad magic") != std::string::npos);
  std::string version = bytes;
  version[8] = 9;
  CHECK(refusal(version).find("version 9 is not supported") != std::string::npos);
}

TEST_CASE("a truncated trace is refused as truncated") {
  const std::string bytes = write_trace(temp_path("truncate"));
  for (std::size_t length = 12; length < bytes.size(); length += length < 200 ? 1 : 211) {
    INFO("length " << length);
    CHECK(refusal(bytes.substr(0, length)).find("truncated") != std::string::npos);
  }
  for (std::size_t cut = 1; cut <= 40; ++cut) {
    INFO("cut " << cut);
    CHECK(refusal(bytes.substr(0, bytes.size() - cut)).find("truncated") != std::string::npos);
  }
  CHECK(refusal("").find("bad magic") != std::string::npos);
  auto missing = TraceReader::read("/nonexistent-weir-trace");
  REQUIRE(std::holds_alternative<std::string>(missing));
  CHECK(std::get<std::string>(missing) == "/nonexistent-weir-trace: cannot read the trace file");
}

namespace {

inline constexpr weir::sim::TraceKind kElected{"test.elected",
                                               "partition {partition}: {leader:node} leads (unclean: {unclean:bool})"};
inline constexpr weir::sim::TraceKind kIsr{"test.isr", "partition {partition} ISR is now {isr:node*}"};
inline constexpr weir::sim::TraceKind kFault{"test.fault", "{fault:text} applied at {at:time}, record {record:hex}"};

void domain_event(TraceWriter& writer, std::int64_t ns, weir::sim::TraceKind kind,
                  std::initializer_list<weir::sim::TraceField> fields) {
  const std::span<const weir::sim::TraceField> values(fields.begin(), fields.size());
  writer.on_event({weir::sim::Time::from_ns(ns), 0, kind, weir::sim::fields_digest(values), values});
}

}  // namespace

TEST_CASE("domain events keep their sentences and values across a file, lists and texts included") {
  const std::string path = temp_path("domain");
  {
    TraceWriter writer(path, header());
    writer.on_event({weir::sim::Time::from_ns(1), 0, kSend, 7});
    domain_event(writer, 2, kElected, {3, 1, true});
    domain_event(writer, 3, kIsr, {3, 1, 2});
    domain_event(writer, 4, kIsr, {4});
    domain_event(writer, 5, kFault, {"broker_crash", 1'500'000'000, 255});
    weir::properties::Violation lost{"no_lost_acked_samples", "acked write #4 ...", {}};
    lost.evidence.write = 4;
    lost.evidence.series = 0xA1;
    lost.evidence.partition = 0;
    lost.evidence.records = {0xFFFF'0000'0000'0001ULL};
    lost.evidence.zones = {"zone-a", "zone-b"};
    lost.evidence.to_ns = 9;
    REQUIRE_FALSE(writer.finish({1, "h", {"kafka-broker-0", "kafka-broker-1", "kafka-broker-2"}, {}, {lost}}));
  }
  auto read = TraceReader::read(path);
  REQUIRE(std::holds_alternative<TraceFile>(read));
  const TraceFile& file = std::get<TraceFile>(read);
  REQUIRE(file.events.size() == 5);
  REQUIRE(file.violations.size() == 1);
  CHECK(file.violations[0].evidence.write == 4u);
  CHECK(file.violations[0].evidence.records == std::vector<std::uint64_t>{0xFFFF'0000'0000'0001ULL});
  CHECK(file.violations[0].evidence.zones == std::vector<std::string>{"zone-a", "zone-b"});
  CHECK(file.violations[0].evidence.partition == 0);
  CHECK_FALSE(file.violations[0].evidence.read);
  CHECK(file.violations[0].evidence.to_ns == 9);
  CHECK_FALSE(file.is_domain(file.events[0]));
  const weir::replay::EventText text(file);
  CHECK(text.sentence(file.events[0]).empty());
  CHECK(text.sentence(file.events[1]) == "partition 3: kafka-broker-1 leads (unclean: yes)");
  CHECK(text.sentence(file.events[2]) == "partition 3 ISR is now kafka-broker-1, kafka-broker-2");
  CHECK(text.sentence(file.events[3]) == "partition 4 ISR is now none");
  CHECK(text.sentence(file.events[4]) == "broker_crash applied at 1.500000s, record 00000000000000ff");
  CHECK(text.number(file.events[1], "partition") == 3);
  CHECK(text.numbers(file.events[2], "isr") == std::vector<std::int64_t>{1, 2});
  CHECK(text.text(file.events[4], "fault") == "broker_crash");
  CHECK_FALSE(text.number(file.events[4], "fault"));
  CHECK_FALSE(text.number(file.events[1], "offset"));
  // The digest a sink saw is the hash of the values, as the trace hash folds it.
  const weir::sim::TraceField values[] = {3, 1, true};
  CHECK(file.events[1].digest == weir::sim::fields_digest(values));
  std::filesystem::remove(path);
}
