#include "weir/replay/chrome_trace.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "weir/replay/fault_pairing.h"
#include "weir/sim/trace.h"

namespace weir::replay {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

// `text` as a JSON string literal; bytes that are not UTF-8 become U+FFFD.
std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Buffers the JSON and writes it to the file in large blocks.
class Output {
 public:
  explicit Output(std::FILE* file) : file_(file) { buffer_.reserve(kFlushBytes + 4096); }

  template <class... Args>
  void print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    if (buffer_.size() >= kFlushBytes) flush();
  }

  void flush() {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    bytes_ += buffer_.size();
    buffer_.clear();
  }

  std::uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* file_;
  std::string buffer_;
  std::uint64_t bytes_ = 0;
};

// Simulated nanoseconds as microseconds with three decimals: "5012345.678".
std::string micros(std::int64_t ns) {
  const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  return fmt::format("{}{}.{:03}", ns < 0 ? "-" : "", magnitude / 1000, magnitude % 1000);
}

struct Track {
  int pid = 0;
  int tid = 0;
};

struct Thread {
  Track track;
  std::string name;  // JSON literal
};

// How a fault event that passes the filter is drawn.
struct FaultRole {
  enum class Phase { begin, end, instant } phase = Phase::instant;
  Track track;  // of the slice; instants go to the faults thread
};

class ChromeTraceWriter {
 public:
  ChromeTraceWriter(const TraceFile& file, const ChromeTraceOptions& options, std::FILE* out)
      : file_(file),
        options_(options),
        out_(out),
        pairing_(pair_faults(file)),
        timeline_(file, options.filter),
        node_timeline_(file, node_filter(options.filter)) {
    applied_ = kind_index(kFaultAppliedKind);
    healed_ = kind_index(kFaultHealedKind);
    for (const auto& kind : file.kinds) kind_names_.push_back(json_string(kind));
    lay_out_nodes();
    lay_out_faults();
  }

  ChromeTraceStats write() {
    write_header();
    for (std::uint64_t i = 0; i < file_.events.size(); ++i) {
      const RecordedEvent& event = file_.events[i];
      if (!timeline_.matches(event)) continue;
      separator();
      if (event.kind == applied_ || event.kind == healed_) {
        write_fault_event(i, event);
      } else {
        write_instant(i, event, track_of(event.node), "");
      }
      ++stats_.events;
    }
    out_.print("\n]}}\n");
    out_.flush();
    stats_.bytes = out_.bytes();
    return stats_;
  }

 private:
  std::uint32_t kind_index(std::string_view name) const {
    const auto it = std::find(file_.kinds.begin(), file_.kinds.end(), name);
    return static_cast<std::uint32_t>(it - file_.kinds.begin());
  }

  bool node_shown(std::uint32_t node) const {
    return node_timeline_.matches(RecordedEvent{0, node, 0, 0});
  }

  // Processes: zones by name, then "no zone", then "system"; threads: the
  // footer's nodes by id, then nodes only the events name, then system's.
  void lay_out_nodes() {
    std::set<std::uint32_t> nodes;
    for (std::uint32_t node = 0; node < file_.node_names.size(); ++node) nodes.insert(node);
    for (const auto& event : file_.events) {
      if (event.node != sim::kNoNode && event.node >= file_.node_names.size()) nodes.insert(event.node);
    }
    std::set<std::string> zones;
    for (std::uint32_t node : nodes) zones.insert(node_zone(file_, node));
    int pid = 1;
    for (const auto& zone : zones) {
      if (!zone.empty()) pids_[zone] = pid++;
    }
    if (zones.count("") != 0) pids_[""] = pid++;
    system_pid_ = pid;
    // No tid equals a pid: a viewer takes such a thread for its process's main one.
    next_tid_ = system_pid_ + 1;
    for (std::uint32_t node : nodes) {
      const Track track{pids_.at(node_zone(file_, node)), next_tid_++};
      node_tracks_[node] = track;
      if (node_shown(node)) threads_.push_back({track, json_string(node_label(file_, node))});
    }
    system_track_ = {system_pid_, next_tid_++};
    faults_track_ = {system_pid_, next_tid_++};
    if (node_shown(sim::kNoNode)) threads_.push_back({system_track_, json_string("system")});
  }

  // A role for every fault event that passes the filter; a track for every
  // pair whose two events do.
  void lay_out_faults() {
    std::map<std::pair<std::uint32_t, std::uint64_t>, Track> pair_tracks;
    bool faults_thread = false;
    const auto passes = [&](std::uint64_t i) { return timeline_.matches(file_.events[i]); };
    for (const auto& [index, partner] : pairing_.partner) {
      if (!passes(index)) continue;
      if (!passes(partner)) {
        fault_roles_[index] = {};
        faults_thread = true;
        continue;
      }
      const RecordedEvent& event = file_.events[index];
      const auto key = std::make_pair(event.node, event.digest);
      auto it = pair_tracks.find(key);
      if (it == pair_tracks.end()) {
        const int pid = event.node == sim::kNoNode ? system_pid_ : track_of(event.node).pid;
        it = pair_tracks.emplace(key, Track{pid, next_tid_++}).first;
        threads_.push_back({it->second, json_string(fault_track_name(event))});
      }
      const auto phase = index < partner ? FaultRole::Phase::begin : FaultRole::Phase::end;
      fault_roles_[index] = {phase, it->second};
    }
    for (std::uint64_t index : pairing_.unpaired) {
      if (!passes(index)) continue;
      fault_roles_[index] = {};
      faults_thread = true;
    }
    if (faults_thread) threads_.push_back({faults_track_, json_string("faults")});
  }

  // The filter for which nodes get a thread: its node, zone and partition
  // parts, every kind of event, any time.
  static TimelineFilter node_filter(TimelineFilter filter) {
    filter.from_seconds.reset();
    filter.to_seconds.reset();
    filter.runtime = true;
    return filter;
  }

  // The options' label for the fault's digest, else the fault's own name
  // when its event is a domain event, else "".
  std::string fault_label(const RecordedEvent& event) const {
    const auto it = options_.fault_labels.find(event.digest);
    if (it != options_.fault_labels.end()) return it->second;
    const auto fault = timeline_.text().text(event, "fault");
    const auto target = timeline_.text().text(event, "target");
    if (!fault) return "";
    return target ? fmt::format("{} {}", *fault, *target) : std::string(*fault);
  }

  std::string fault_track_name(const RecordedEvent& event) const {
    std::string label = fault_label(event);
    if (label.empty()) label = fmt::format("{:016x}", event.digest);
    if (event.node == sim::kNoNode) return fmt::format("fault {}", label);
    return fmt::format("fault {} on {}", label, node_label(file_, event.node));
  }

  Track track_of(std::uint32_t node) const {
    if (node == sim::kNoNode) return system_track_;
    return node_tracks_.at(node);
  }

  void separator() {
    if (!first_) out_.print(",\n");
    first_ = false;
  }

  void write_header() {
    out_.print("{{\"displayTimeUnit\":\"ns\",\"otherData\":{{\"scenario\":{},\"seed\":\"{}\","
               "\"trace_hash\":\"{:016x}\",\"weir_version\":{}}},\n\"traceEvents\":[\n",
               json_string(file_.header.scenario), file_.header.seed, file_.trace_hash,
               json_string(file_.header.weir_version));
    std::set<int> named_pids;
    for (const auto& thread : threads_) named_pids.insert(thread.track.pid);
    for (const auto& [zone, pid] : pids_) {
      if (named_pids.count(pid) == 0) continue;
      write_metadata("process_name", {pid, 0}, json_string(zone.empty() ? "no zone" : zone));
    }
    if (named_pids.count(system_pid_) != 0) write_metadata("process_name", {system_pid_, 0}, json_string("system"));
    for (const auto& thread : threads_) write_metadata("thread_name", thread.track, thread.name);
  }

  void write_metadata(std::string_view what, Track track, const std::string& name) {
    separator();
    if (track.tid == 0) {
      out_.print("{{\"name\":\"{}\",\"ph\":\"M\",\"ts\":0,\"pid\":{},\"args\":{{\"name\":{}}}}}", what, track.pid,
                 name);
    } else {
      out_.print("{{\"name\":\"{}\",\"ph\":\"M\",\"ts\":0,\"pid\":{},\"tid\":{},\"args\":{{\"name\":{}}}}}", what,
                 track.pid, track.tid, name);
    }
  }

  // `extra_args`: more JSON members for args, each with a leading comma.
  // A domain event's args hold its sentence too ("text").
  void write_instant(std::uint64_t index, const RecordedEvent& event, Track track, std::string_view extra_args) {
    const std::string sentence = file_.is_domain(event)
                                     ? fmt::format(",\"text\":{}", json_string(timeline_.text().sentence(event)))
                                     : std::string();
    out_.print("{{\"name\":{},\"ph\":\"i\",\"s\":\"t\",\"ts\":{},\"pid\":{},\"tid\":{},"
               "\"args\":{{\"digest\":\"{:016x}\",\"index\":{}{}{}}}}}",
               kind_names_[event.kind], micros(event.time_ns), track.pid, track.tid, event.digest, index, sentence,
               extra_args);
  }

  void write_fault_event(std::uint64_t index, const RecordedEvent& event) {
    const FaultRole& role = fault_roles_.at(index);
    std::string label = fault_label(event);
    if (role.phase == FaultRole::Phase::instant) {
      std::string extra = fmt::format(",\"node\":{}", json_string(node_label(file_, event.node)));
      if (!label.empty()) extra += fmt::format(",\"fault\":{}", json_string(label));
      write_instant(index, event, faults_track_, extra);
      return;
    }
    const std::string name = json_string(label.empty() ? "fault" : label);
    if (role.phase == FaultRole::Phase::begin) {
      out_.print("{{\"name\":{},\"cat\":\"fault\",\"ph\":\"B\",\"ts\":{},\"pid\":{},\"tid\":{},"
                 "\"args\":{{\"digest\":\"{:016x}\",\"index\":{},\"node\":{}}}}}",
                 name, micros(event.time_ns), role.track.pid, role.track.tid, event.digest, index,
                 json_string(node_label(file_, event.node)));
      ++stats_.fault_slices;
    } else {
      out_.print("{{\"name\":{},\"cat\":\"fault\",\"ph\":\"E\",\"ts\":{},\"pid\":{},\"tid\":{},"
                 "\"args\":{{\"healed_index\":{}}}}}",
                 name, micros(event.time_ns), role.track.pid, role.track.tid, index);
    }
  }

  const TraceFile& file_;
  const ChromeTraceOptions& options_;
  Output out_;
  FaultPairing pairing_;
  Timeline timeline_;       // which events, and their words
  Timeline node_timeline_;  // which nodes get a thread
  std::uint32_t applied_ = 0;
  std::uint32_t healed_ = 0;
  std::vector<std::string> kind_names_;  // JSON literals, by kind index
  std::map<std::string, int> pids_;      // by zone ("" for no zone)
  int system_pid_ = 0;
  int next_tid_ = 0;
  std::map<std::uint32_t, Track> node_tracks_;
  Track system_track_;
  Track faults_track_;
  std::vector<Thread> threads_;  // named in the metadata, in this order
  std::map<std::uint64_t, FaultRole> fault_roles_;  // by event index
  ChromeTraceStats stats_;
  bool first_ = true;
};

// PATH.tmp while it is written: removed unless committed.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)), file_(std::fopen(path_.c_str(), "wb")) {}
  ~TempFile() {
    if (file_ != nullptr) std::fclose(file_);
    if (!committed_) std::remove(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  std::FILE* file() const { return file_; }
  // Closes the file; false if a write or the close failed.
  bool close() {
    const bool written = std::ferror(file_) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return written && closed;
  }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  std::FILE* file_;
  bool committed_ = false;
};

}  // namespace

ChromeTraceStats write_chrome_trace(const TraceFile& file, const ChromeTraceOptions& options, std::FILE* out) {
  return ChromeTraceWriter(file, options, out).write();
}

std::variant<ChromeTraceStats, std::string> export_chrome_trace(const TraceFile& file,
                                                                const ChromeTraceOptions& options,
                                                                const std::string& path) {
  const std::string temp_path = path + ".tmp";
  TempFile temp(temp_path);
  if (temp.file() == nullptr) return fmt::format("{}: cannot create {}: {}", path, temp_path, std::strerror(errno));
  const ChromeTraceStats stats = write_chrome_trace(file, options, temp.file());
  if (!temp.close()) return fmt::format("{}: cannot write {}", path, temp_path);
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    return fmt::format("{}: cannot rename {} to it: {}", path, temp_path, std::strerror(errno));
  }
  temp.commit();
  return stats;
}

}  // namespace weir::replay
