#include "weir/sim/disk.h"

#include <utility>

#include <fmt/format.h>

#include "weir/sim/simulation.h"

namespace weir::sim {

const char* to_string(DiskStatus status) {
  switch (status) {
    case DiskStatus::ok: return "ok";
    case DiskStatus::io_error: return "io_error";
    case DiskStatus::no_space: return "no_space";
    case DiskStatus::not_found: return "not_found";
  }
  return "unknown";
}

Disk::Disk(Simulation& sim, std::uint32_t node, DiskOptions options)
    : sim_(sim), node_(node), options_(options), random_(sim.random(fmt::format("disk.{}", node))) {}

void Disk::wait(const Latency& latency) {
  const Duration base = latency.sample(random_);
  sim_.sleep(Duration::nanoseconds(static_cast<std::int64_t>(static_cast<double>(base.ns()) * options_.slow_multiplier)));
}

template <class Bytes>
DiskStatus Disk::append_bytes(const std::string& path, const Bytes& bytes) {
  wait(options_.write_latency);
  if (options_.capacity_bytes != 0 && used_bytes() + bytes.size() > options_.capacity_bytes) {
    return DiskStatus::no_space;
  }
  files_[path].data.append(bytes);
  return DiskStatus::ok;
}

DiskStatus Disk::append(const std::string& path, std::string_view bytes) { return append_bytes(path, bytes); }

DiskStatus Disk::append(const std::string& path, const ChunkedBytes& bytes) { return append_bytes(path, bytes); }

DiskStatus Disk::fsync(const std::string& path) {
  wait(options_.fsync_latency);
  const auto it = files_.find(path);
  if (it == files_.end()) return DiskStatus::not_found;
  if (random_.bernoulli(options_.fsync_error_probability)) return DiskStatus::io_error;
  File& file = it->second;
  file.synced = file.data.size();
  file.durable.reset();
  file.ever_synced = true;
  return DiskStatus::ok;
}

std::optional<std::string> Disk::read(const std::string& path) {
  wait(options_.read_latency);
  const auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  std::string data = it->second.data.str();
  if (!data.empty() && random_.bernoulli(options_.corrupt_read_probability)) {
    data[random_.below(data.size())] ^= static_cast<char>(1 + random_.below(255));
  }
  return data;
}

DiskStatus Disk::truncate(const std::string& path, std::uint64_t size) {
  wait(options_.write_latency);
  const auto it = files_.find(path);
  if (it == files_.end()) return DiskStatus::not_found;
  File& file = it->second;
  if (size < file.synced && !file.durable) {
    file.durable = file.data;
    file.durable->truncate(file.synced);
  }
  file.data.truncate(size);
  return DiskStatus::ok;
}

DiskStatus Disk::remove(const std::string& path) {
  wait(options_.write_latency);
  return files_.erase(path) == 1 ? DiskStatus::ok : DiskStatus::not_found;
}

std::vector<std::string> Disk::list(std::string_view prefix) const {
  std::vector<std::string> names;
  for (const auto& [name, file] : files_) {
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

std::uint64_t Disk::size(const std::string& path) const {
  const auto it = files_.find(path);
  return it == files_.end() ? 0 : it->second.data.size();
}

std::uint64_t Disk::unsynced_bytes(const std::string& path) const {
  const auto it = files_.find(path);
  if (it == files_.end()) return 0;
  const File& file = it->second;
  return file.data.size() > file.synced ? file.data.size() - file.synced : 0;
}

std::optional<std::string> Disk::peek(const std::string& path) const {
  const auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return it->second.data.str();
}

std::uint64_t Disk::used_bytes() const {
  std::uint64_t total = 0;
  for (const auto& [name, file] : files_) total += file.data.size();
  return total;
}

void Disk::revert(File& file) {
  const std::string tail = file.data.size() > file.synced ? file.data.substr(file.synced) : std::string();
  if (file.durable) {
    file.data = std::move(*file.durable);
    file.durable.reset();
  } else {
    file.data.truncate(file.synced);
  }
  if (options_.torn_last_write && !tail.empty()) {
    file.data.append(tail.substr(0, random_.below(tail.size() + 1)));
  }
  file.synced = file.data.size();
}

void Disk::lose_unsynced() {
  for (auto it = files_.begin(); it != files_.end();) {
    revert(it->second);
    if (!it->second.ever_synced && it->second.data.empty()) {
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
}

void Disk::wipe() { files_.clear(); }

void Disk::write_back(const std::string& path, ChunkedBytes data) {
  File& file = files_[path];
  file.data = std::move(data);
  file.synced = file.data.size();
  file.durable.reset();
  file.ever_synced = true;
}

}  // namespace weir::sim
