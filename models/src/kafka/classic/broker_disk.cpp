// The broker's page cache and disk: logs live in memory (the page cache) and
// reach the node's Disk only when the flusher writes and fsyncs them, every
// flush_interval. A machine crash therefore loses each log's unflushed tail; a
// restart rebuilds the logs from what was fsynced. A killed process leaves its
// page cache to the operating system, which writes all of it back: every log
// as it stood at the instant of the kill.
#include <algorithm>

#include <fmt/format.h>

#include "broker.h"
#include "weir/models/kafka/classic/trace_kinds.h"

namespace weir::models::kafka::classic {

std::string Broker::log_path(std::uint32_t index) const {
  return fmt::format("log/{}-{}", topology_->topic_name(topology_->topic_of(index)), topology_->partition_of(index));
}

void Broker::recover_logs() {
  sim::Disk& disk = sim_.node(self_).disk();
  const std::vector<std::string> files = disk.list("log/");
  for (auto& owned : replicas_) {
    if (!owned) continue;
    Replica& r = *owned;
    const std::string path = log_path(r.index);
    if (std::find(files.begin(), files.end(), path) == files.end()) continue;
    const std::optional<std::string> data = disk.read(path);
    if (!data) continue;
    const std::uint64_t valid = r.log.recover(*data);
    if (valid < data->size()) {
      // A torn or corrupt tail: cut it off, as Kafka's log recovery does.
      disk.truncate(path, valid);
      disk.fsync(path);
    }
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
    const std::string path = log_path(r.index);
    const bool on_disk = std::find(files.begin(), files.end(), path) != files.end();
    if (!on_disk && r.log.end_offset() == 0) continue;
    disk.write_back(path, r.log.take_whole_file());
    r.fsync_pending = false;
  }
}

void Broker::flush(Replica& r) {
  sim::Disk& disk = sim_.node(self_).disk();
  const std::string path = log_path(r.index);
  while (const auto size = r.log.take_pending_truncate()) {
    disk.truncate(path, *size);
    r.fsync_pending = true;
  }
  if (r.log.has_unwritten()) {
    const PartitionLog::Unwritten unwritten = r.log.take_unwritten();
    const sim::DiskStatus status = disk.append(path, unwritten.bytes);
    if (status == sim::DiskStatus::ok) {
      r.fsync_pending = true;
      disk_full_ = false;
    } else {
      r.log.write_failed(unwritten);
      disk_full_ = status == sim::DiskStatus::no_space;
    }
  }
  // A failed fsync leaves the data in the page cache; the next round retries.
  if (r.fsync_pending) {
    const std::int64_t durable = r.log.written_end();
    if (disk.fsync(path) != sim::DiskStatus::io_error) {
      r.fsync_pending = false;
      if (traced(r)) sim_.event(self_, kTraceFlushed, {partition_number(r), durable});
    }
  }
}

}  // namespace weir::models::kafka::classic
