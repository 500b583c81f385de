// The broker's page cache and disk: logs live in memory (the page cache) and
// reach the node's Disk only when the flusher writes and fsyncs them, every
// flush_interval. A machine crash therefore loses each log's unflushed tail; a
// restart rebuilds the logs from what was fsynced. A killed process leaves its
// page cache to the operating system, which writes all of it back: every log
// as it stood at the instant of the kill.
//
// Each log segment is its own file, named by its base offset as in Kafka:
// log/<topic>-<partition>/<20-digit base offset>.log. A retention loop, when
// retention is on, deletes old closed segments (the flusher removes their
// files, as Kafka deletes them asynchronously).
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "broker.h"
#include "weir/models/kafka/classic/trace_kinds.h"

namespace weir::models::kafka::classic {

namespace {

// The base offset a segment file's name stands for, or nothing.
std::optional<std::int64_t> segment_base(std::string_view path, std::string_view dir) {
  if (!path.starts_with(dir)) return std::nullopt;
  std::string_view name = path.substr(dir.size());
  if (name.size() != 20 + 4 || !name.ends_with(".log")) return std::nullopt;
  std::int64_t base = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + 20, base);
  if (error != std::errc() || end != name.data() + 20) return std::nullopt;
  return base;
}

}  // namespace

std::string Broker::log_dir(std::uint32_t index) const {
  return fmt::format("log/{}-{}/", topology_->topic_name(topology_->topic_of(index)), topology_->partition_of(index));
}

std::string Broker::segment_path(std::uint32_t index, std::int64_t base_offset) const {
  return fmt::format("{}{:020d}.log", log_dir(index), base_offset);
}

void Broker::recover_logs() {
  sim::Disk& disk = sim_.node(self_).disk();
  const std::vector<std::string> files = disk.list("log/");
  for (auto& owned : replicas_) {
    if (!owned) continue;
    Replica& r = *owned;
    // The listing is in name order, which the zero-padded base offsets make
    // base-offset order. A file with no bytes holds no records (a kill's
    // write-back leaves one for a segment file the flusher still owed a
    // removal): it is as good as none, and stays.
    const std::string dir = log_dir(r.index);
    std::vector<std::string> paths;
    std::vector<std::string> contents;
    std::vector<std::pair<std::int64_t, std::string_view>> segments;
    for (const std::string& path : files) {
      const auto base = segment_base(path, dir);
      if (!base) continue;
      std::optional<std::string> data = disk.read(path);
      if (!data) continue;
      if (data->empty()) continue;
      paths.push_back(path);
      contents.push_back(std::move(*data));
      segments.emplace_back(*base, std::string_view());
    }
    if (segments.empty()) continue;
    for (std::size_t i = 0; i < segments.size(); ++i) segments[i].second = contents[i];
    const PartitionLog::Recovery recovery = r.log.recover(segments, sim_.now());
    const std::size_t last = recovery.files_kept - 1;
    if (recovery.last_valid_bytes < contents[last].size()) {
      // A torn or corrupt tail: cut it off, as Kafka's log recovery does.
      disk.truncate(paths[last], recovery.last_valid_bytes);
      disk.fsync(paths[last]);
    }
    // The log ended in an earlier file: the later ones go.
    for (std::size_t i = recovery.files_kept; i < paths.size(); ++i) disk.remove(paths[i]);
  }
  logs_recovered_ = true;
  // Every hosted partition, those with nothing on disk at log end 0.
  for (auto& owned : replicas_) {
    if (owned && traced(*owned)) {
      sim_.event(self_, kTraceLogRecovered, {partition_number(*owned), owned->log.end_offset()});
    }
  }
}

void Broker::flush_loop() {
  for (;;) {
    sim_.sleep(options_->flush_interval);
    for (auto& r : replicas_) {
      if (r) flush(*r);
    }
  }
}

void Broker::retention_loop() {
  // Kafka's log.retention.check.interval.ms task: per partition, the closed
  // segments whose newest record is older than retention.ms go, those wholly
  // below the high watermark only (a follower's own). The internal
  // __consumer_offsets topic is compacted in Kafka, never deleted by time.
  for (;;) {
    sim_.sleep(options_->retention_check_interval);
    const sim::Time cutoff = sim_.now() - options_->retention;
    for (auto& owned : replicas_) {
      if (!owned || !traced(*owned)) continue;
      Replica& r = *owned;
      const std::int64_t before = r.log.start_offset();
      if (r.log.delete_segments_older_than(cutoff, r.high_watermark) > 0) {
        sim_.event(self_, kTraceSegmentsDeleted, {partition_number(r), before, r.log.start_offset()});
      }
    }
  }
}

void Broker::write_page_cache() {
  // No simulated time may pass: the process dies right after, and whatever
  // it appended or acknowledged until then is in the page cache. Each file is
  // rewritten whole because the flusher may be in the middle of a write or a
  // truncation that the kill cuts short. Before the logs are recovered the
  // disk holds them all already.
  if (!logs_recovered_) return;
  sim::Disk& disk = sim_.node(self_).disk();
  const std::vector<std::string> files = disk.list("log/");
  for (auto& owned : replicas_) {
    if (!owned) continue;
    Replica& r = *owned;
    const std::string dir = log_dir(r.index);
    std::vector<std::string> kept;
    for (auto& [base, bytes] : r.log.take_whole_files()) {
      std::string path = segment_path(r.index, base);
      const bool on_disk = std::find(files.begin(), files.end(), path) != files.end();
      if (!on_disk && bytes.empty()) continue;
      disk.write_back(path, std::move(bytes));
      kept.push_back(std::move(path));
    }
    // A segment file whose removal the flusher still owed is left empty, which
    // recovery treats as no file.
    for (const std::string& path : files) {
      if (segment_base(path, dir) && std::find(kept.begin(), kept.end(), path) == kept.end()) {
        disk.write_back(path, std::string());
      }
    }
    r.unsynced_segments.clear();
  }
}

void Broker::flush(Replica& r) {
  sim::Disk& disk = sim_.node(self_).disk();
  while (const auto cut = r.log.take_file_cut()) {
    const std::string path = segment_path(r.index, cut->base);
    if (cut->size) {
      disk.truncate(path, *cut->size);
      r.unsynced_segments.insert(cut->base);
    } else {
      disk.remove(path);
      r.unsynced_segments.erase(cut->base);
    }
  }
  if (r.log.has_unwritten()) {
    for (const PartitionLog::Unwritten& unwritten : r.log.take_unwritten()) {
      const sim::DiskStatus status = disk.append(segment_path(r.index, unwritten.base), unwritten.bytes);
      if (status == sim::DiskStatus::ok) {
        r.unsynced_segments.insert(unwritten.base);
        disk_full_ = false;
      } else {
        r.log.write_failed(unwritten);
        disk_full_ = status == sim::DiskStatus::no_space;
        break;
      }
    }
  }
  // A failed fsync leaves the data in the page cache; the next round retries.
  if (!r.unsynced_segments.empty()) {
    const std::int64_t durable = r.log.written_end();
    bool all = true;
    for (auto it = r.unsynced_segments.begin(); it != r.unsynced_segments.end();) {
      if (disk.fsync(segment_path(r.index, *it)) == sim::DiskStatus::io_error) {
        all = false;
        ++it;
      } else {
        it = r.unsynced_segments.erase(it);
      }
    }
    if (all && traced(r)) sim_.event(self_, kTraceFlushed, {partition_number(r), durable});
  }
}

}  // namespace weir::models::kafka::classic
