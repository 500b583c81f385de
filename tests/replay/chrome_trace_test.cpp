// The Chrome trace export: fault events pair into slices only when the trace
// alone says which heal ends which application; the JSON names every node
// and zone, holds one trace event per recorded event that passes the
// filter, at its simulated time in microseconds; the same trace exports to
// the same bytes; a path that cannot be written leaves no file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "weir/replay/chrome_trace.h"
#include "weir/replay/fault_pairing.h"
#include "weir/replay/trace_reader.h"
#include "weir/scenarios/fault_injector.h"
#include "weir/scenarios/trace_run.h"
#include "weir/sim/trace.h"

namespace {

using nlohmann::json;
using weir::replay::ChromeTraceOptions;
using weir::replay::ChromeTraceStats;
using weir::replay::RecordedEvent;
using weir::replay::TraceFile;
using weir::sim::kNoNode;

constexpr std::uint32_t kApplied = 0;
constexpr std::uint32_t kHealed = 1;
constexpr std::uint32_t kHealedAll = 2;
constexpr std::uint32_t kProduce = 3;

constexpr std::int64_t kSecond = 1'000'000'000;

// Three nodes in two zones (one zone only in the footer), ordinary events
// every second, and fault events: a pair on node 0 (1 s..3 s), two faults of
// one key on no node that overlap (2 s..5 s and 4 s..6 s), a pair with the
// same digest on node 1 (2 s..2.5 s), a heal with no application, a fault
// that heal_all ends (7 s), and a pair after it (9 s..10 s).
TraceFile sample() {
  TraceFile file;
  file.header.scenario = "hand-made";
  file.header.seed = 7;
  file.trace_hash = 0x1234;
  file.kinds = {"fault.applied", "fault.healed", "fault.healed_all", "kafka.produce"};
  file.node_names = {"kafka-broker-0", "ingester-zone-a-1", "ingester-zone-b-2"};
  file.node_zones = {"zone-c", "", ""};
  const auto at = [&](std::int64_t ns, std::uint32_t node, std::uint32_t kind, std::uint64_t digest) {
    file.events.push_back(RecordedEvent{ns, node, kind, digest});
  };
  for (std::int64_t s = 0; s < 12; ++s) {
    for (std::uint32_t node = 0; node < 3; ++node) at(s * kSecond + 1000 * node + 7, node, kProduce, 0xab00 + node);
    if (s == 1) {
      at(s * kSecond + 500, 0, kApplied, 7);
      at(s * kSecond + 600, 2, kHealed, 5);  // no application
    }
    if (s == 2) {
      at(s * kSecond + 500, kNoNode, kApplied, 9);
      at(s * kSecond + 600, 1, kApplied, 7);
      at(s * kSecond + kSecond / 2, 1, kHealed, 7);
    }
    if (s == 3) at(s * kSecond + 500, 0, kHealed, 7);
    if (s == 4) at(s * kSecond + 500, kNoNode, kApplied, 9);
    if (s == 5) at(s * kSecond + 500, kNoNode, kHealed, 9);
    if (s == 6) at(s * kSecond + 500, kNoNode, kHealed, 9);
    if (s == 7) at(s * kSecond + 500, 0, kApplied, 8);
    if (s == 8) at(s * kSecond + 500, kNoNode, kHealedAll, 0);
    if (s == 9) at(s * kSecond + 500, 0, kApplied, 8);
    if (s == 10) at(s * kSecond + 500, 0, kHealed, 8);
  }
  std::stable_sort(file.events.begin(), file.events.end(),
                   [](const RecordedEvent& a, const RecordedEvent& b) { return a.time_ns < b.time_ns; });
  return file;
}

std::uint64_t index_of(const TraceFile& file, std::int64_t ns, std::uint32_t kind) {
  for (std::uint64_t i = 0; i < file.events.size(); ++i) {
    if (file.events[i].time_ns == ns && file.events[i].kind == kind) return i;
  }
  FAIL("no such event");
  return 0;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("weir-chrome-trace-test-" + name)).string();
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ChromeTraceStats export_to(const TraceFile& file, const ChromeTraceOptions& options, const std::string& path) {
  auto written = weir::replay::export_chrome_trace(file, options, path);
  if (const auto* error = std::get_if<std::string>(&written)) FAIL(*error);
  return std::get<ChromeTraceStats>(written);
}

json exported(const TraceFile& file, const ChromeTraceOptions& options = {}) {
  const std::string path = temp_path("parsed.json");
  export_to(file, options, path);
  json parsed = json::parse(bytes_of(path));
  std::filesystem::remove(path);
  return parsed;
}

std::vector<json> with_phase(const json& trace, const std::set<std::string>& phases) {
  std::vector<json> out;
  for (const auto& event : trace.at("traceEvents")) {
    if (phases.count(event.at("ph").get<std::string>()) != 0) out.push_back(event);
  }
  return out;
}

// The name a metadata event gives, by (pid, tid) (tid -1 for a process).
std::map<std::pair<int, int>, std::string> names(const json& trace) {
  std::map<std::pair<int, int>, std::string> out;
  for (const auto& event : with_phase(trace, {"M"})) {
    const int tid = event.at("name") == "process_name" ? -1 : event.at("tid").get<int>();
    out[{event.at("pid").get<int>(), tid}] = event.at("args").at("name").get<std::string>();
  }
  return out;
}

// The recorded event a trace event stands for.
std::uint64_t recorded_index(const json& event) {
  const json& args = event.at("args");
  return args.contains("index") ? args.at("index").get<std::uint64_t>() : args.at("healed_index").get<std::uint64_t>();
}

std::size_t matching(const TraceFile& file, const weir::replay::TimelineFilter& filter) {
  std::size_t n = 0;
  const weir::replay::Timeline timeline(file, filter);
  for (const auto& e : file.events) n += timeline.matches(e) ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("fault events pair only when one application and one heal of a key do not overlap another") {
  const TraceFile file = sample();
  const auto pairing = weir::replay::pair_faults(file);
  const auto applied_0 = index_of(file, 1 * kSecond + 500, kApplied);
  const auto healed_0 = index_of(file, 3 * kSecond + 500, kHealed);
  const auto applied_1 = index_of(file, 2 * kSecond + 600, kApplied);
  const auto healed_1 = index_of(file, 2 * kSecond + kSecond / 2, kHealed);
  const auto applied_after = index_of(file, 9 * kSecond + 500, kApplied);
  const auto healed_after = index_of(file, 10 * kSecond + 500, kHealed);
  CHECK(pairing.partner == std::map<std::uint64_t, std::uint64_t>{{applied_0, healed_0}, {healed_0, applied_0},
                                                                    {applied_1, healed_1}, {healed_1, applied_1},
                                                                    {applied_after, healed_after},
                                                                    {healed_after, applied_after}});
  CHECK(pairing.pairs() == 3);
  // The overlapping two on no node (4 events), the lone heal, the one heal_all ended.
  const std::vector<std::uint64_t> unpaired{
      index_of(file, 1 * kSecond + 600, kHealed),  index_of(file, 2 * kSecond + 500, kApplied),
      index_of(file, 4 * kSecond + 500, kApplied), index_of(file, 5 * kSecond + 500, kHealed),
      index_of(file, 6 * kSecond + 500, kHealed),  index_of(file, 7 * kSecond + 500, kApplied)};
  CHECK(pairing.unpaired == unpaired);
}

TEST_CASE("the export names every zone and node, one event per recorded event, at its simulated microseconds") {
  const TraceFile file = sample();
  const json trace = exported(file);
  CHECK(trace.at("displayTimeUnit") == "ns");
  CHECK(trace.at("otherData").at("scenario") == "hand-made");
  CHECK(trace.at("otherData").at("seed") == "7");
  const auto named = names(trace);
  std::set<std::string> processes, threads;
  for (const auto& [track, name] : named) (track.second == -1 ? processes : threads).insert(name);
  CHECK(processes == std::set<std::string>{"zone-a", "zone-b", "zone-c", "system"});
  for (const auto& node : file.node_names) CHECK(threads.count(node) == 1);
  CHECK(threads.count("system") == 1);
  CHECK(threads.count("faults") == 1);

  const auto events = with_phase(trace, {"i", "B", "E"});
  REQUIRE(events.size() == file.events.size());
  std::set<std::uint64_t> seen;
  std::map<std::pair<int, int>, double> last_ts;
  for (const auto& event : events) {
    const std::uint64_t index = recorded_index(event);
    seen.insert(index);
    const RecordedEvent& recorded = file.events.at(index);
    const double ts = event.at("ts").get<double>();
    CHECK(ts == Approx(static_cast<double>(recorded.time_ns) / 1000.0).margin(1e-4));
    const std::pair<int, int> track{event.at("pid").get<int>(), event.at("tid").get<int>()};
    REQUIRE(named.count(track) == 1);
    if (last_ts.count(track) != 0) CHECK(ts >= last_ts[track]);
    last_ts[track] = ts;
    if (event.at("ph") == "i") {
      CHECK(event.at("s") == "t");
      CHECK(event.at("name") == file.kinds[recorded.kind]);
      CHECK(event.at("args").at("digest").get<std::string>().size() == 16);
    }
  }
  CHECK(seen.size() == file.events.size());
  // Ordinary events sit on their node's thread in their zone's process.
  const json& first = events.front();
  CHECK(named.at({first.at("pid").get<int>(), first.at("tid").get<int>()}) == "kafka-broker-0");
  CHECK(named.at({first.at("pid").get<int>(), -1}) == "zone-c");
}

TEST_CASE("paired faults are slices on tracks of their own; the rest are instants on the faults thread") {
  const TraceFile file = sample();
  ChromeTraceOptions options;
  options.fault_labels = {{7, "broker_crash target=0"}};
  const json trace = exported(file, options);
  const auto named = names(trace);
  const auto begins = with_phase(trace, {"B"});
  const auto ends = with_phase(trace, {"E"});
  REQUIRE(begins.size() == 3);
  REQUIRE(ends.size() == 3);
  std::set<std::string> slice_tracks;
  for (std::size_t k = 0; k < begins.size(); ++k) {
    slice_tracks.insert(named.at({begins[k].at("pid").get<int>(), begins[k].at("tid").get<int>()}));
  }
  CHECK(slice_tracks == std::set<std::string>{"fault broker_crash target=0 on kafka-broker-0",
                                              "fault broker_crash target=0 on ingester-zone-a-1",
                                              "fault 0000000000000008 on kafka-broker-0"});
  CHECK(begins[0].at("name") == "broker_crash target=0");
  CHECK(begins[0].at("ts").get<double>() == Approx(1e6 + 0.5));
  for (const auto& end : ends) {
    const auto matched = std::find_if(begins.begin(), begins.end(), [&](const json& b) {
      return b.at("tid") == end.at("tid") && b.at("ts").get<double>() < end.at("ts").get<double>();
    });
    CHECK(matched != begins.end());
  }
  std::size_t on_faults_thread = 0;
  for (const auto& event : with_phase(trace, {"i"})) {
    if (named.at({event.at("pid").get<int>(), event.at("tid").get<int>()}) != "faults") continue;
    ++on_faults_thread;
    CHECK(event.at("args").contains("node"));
  }
  CHECK(on_faults_thread == 6);
}

TEST_CASE("the export honours the timeline's filters; a pair cut by the window becomes instants") {
  const TraceFile file = sample();
  ChromeTraceOptions options;
  options.filter.nodes = {"kafka-broker-0"};
  options.filter.from_seconds = 2.0;
  json trace = exported(file, options);
  CHECK(with_phase(trace, {"i", "B", "E"}).size() == matching(file, options.filter));
  CHECK(with_phase(trace, {"B"}).size() == 1);  // 9 s..10 s; the heal at 3.0000005 s lost its application
  std::set<std::string> threads;
  for (const auto& [track, name] : names(trace)) {
    if (track.second != -1) threads.insert(name);
  }
  CHECK(threads == std::set<std::string>{"kafka-broker-0", "faults", "fault 0000000000000008 on kafka-broker-0"});

  options.filter = {};
  options.filter.zones = {"zone-b"};
  trace = exported(file, options);
  CHECK(with_phase(trace, {"i", "B", "E"}).size() == matching(file, options.filter));
}

TEST_CASE("exporting the same trace twice gives the same bytes") {
  const TraceFile file = sample();
  ChromeTraceOptions options;
  options.fault_labels = {{7, "broker_crash target=0"}};
  const std::string a = temp_path("twice-a.json"), b = temp_path("twice-b.json");
  const ChromeTraceStats stats = export_to(file, options, a);
  export_to(file, options, b);
  CHECK(bytes_of(a) == bytes_of(b));
  CHECK(stats.bytes == bytes_of(a).size());
  CHECK(stats.events == file.events.size());
  CHECK(stats.fault_slices == 3);
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST_CASE("a path that cannot be written gives a one-line error and leaves no file") {
  const TraceFile file = sample();
  const std::string missing_dir = temp_path("no-such-dir") + "/out.json";
  auto written = weir::replay::export_chrome_trace(file, {}, missing_dir);
  REQUIRE(std::holds_alternative<std::string>(written));
  const std::string error = std::get<std::string>(written);
  CHECK(error.find(missing_dir) != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(missing_dir));
  CHECK_FALSE(std::filesystem::exists(missing_dir + ".tmp"));

  // A directory in the way: the JSON is written, the rename fails, nothing stays.
  const std::string dir = temp_path("a-directory");
  std::filesystem::create_directories(dir + "/inside");
  written = weir::replay::export_chrome_trace(file, {}, dir);
  CHECK(std::holds_alternative<std::string>(written));
  CHECK(std::filesystem::is_directory(dir + "/inside"));
  CHECK_FALSE(std::filesystem::exists(dir + ".tmp"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a recorded run's faults export as labelled slices, or as instants when two of one key overlap") {
  weir::scenarios::ScenarioLoader loader;
  REQUIRE_FALSE(loader.load("baseline-classic"));
  for (const char* o : {"log.partitions=2", "phases.safety_ms=21000", "phases.drain_ms=4000",
                        "faults.fault[0]={kind: \"broker_crash\" at_ms: 2000 duration_ms: 2000 target: 1}",
                        "faults.fault[1]={kind: \"network_drop\" at_ms: 3000 duration_ms: 3000 magnitude: 0.01}",
                        "faults.fault[2]={kind: \"network_drop\" at_ms: 4000 duration_ms: 1000 magnitude: 0.01}"}) {
    REQUIRE_FALSE(loader.set(o));
  }
  const std::string path = temp_path("run.trace");
  REQUIRE_FALSE(weir::scenarios::run_traced(loader, 1, path).error);
  auto read = weir::replay::TraceReader::read(path);
  std::filesystem::remove(path);
  REQUIRE(std::holds_alternative<TraceFile>(read));
  const TraceFile& file = std::get<TraceFile>(read);

  ChromeTraceOptions options;
  options.fault_labels = weir::scenarios::fault_trace_labels(file.node_names, {"zone-a", "zone-b", "zone-c"});
  options.filter.runtime = true;  // every event, the runtime's too
  const json trace = exported(file, options);
  CHECK(with_phase(trace, {"i", "B", "E"}).size() == file.events.size());
  const auto begins = with_phase(trace, {"B"});
  REQUIRE(begins.size() == 1);
  CHECK(begins[0].at("name") == "broker_crash kafka-broker-1");
  CHECK(begins[0].at("ts").get<double>() == Approx(2e6));
  const auto ends = with_phase(trace, {"E"});
  REQUIRE(ends.size() == 1);
  CHECK(ends[0].at("ts").get<double>() == Approx(4e6));
  std::size_t drop_instants = 0;
  for (const auto& event : with_phase(trace, {"i"})) {
    if (event.at("args").value("fault", "") == "network_drop network") ++drop_instants;
  }
  CHECK(drop_instants == 4);
}
