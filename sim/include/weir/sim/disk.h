// Disk: a node's local storage, with the durability rules of a real one.
//
// Files are byte strings. Writes land in a page cache and become durable only
// when fsynced; a crash reverts every file to its durable contents (optionally
// keeping a torn prefix of the last unsynced write). Operations block the
// calling fiber for a sampled latency and are applied when it ends, so a crash
// in the middle loses the operation. Faults are options, all off by default.
// Owned by its Node; uses the Simulation for time and randomness.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/chunked_bytes.h"
#include "weir/sim/latency.h"
#include "weir/sim/random.h"
#include "weir/sim/time.h"

namespace weir::sim {

class Simulation;

struct DiskOptions {
  Latency write_latency = Latency::lognormal(Duration::microseconds(20), Duration::microseconds(200));
  Latency fsync_latency = Latency::lognormal(Duration::microseconds(500), Duration::milliseconds(5));
  Latency read_latency = Latency::lognormal(Duration::microseconds(50), Duration::microseconds(500));
  // Fault knobs (default off).
  double slow_multiplier = 1.0;          // every latency is multiplied by this
  bool torn_last_write = false;          // a crash keeps a random prefix of the unsynced tail
  double fsync_error_probability = 0.0;  // fsync fails (and syncs nothing)
  std::uint64_t capacity_bytes = 0;      // 0 = unlimited; beyond it appends fail with no_space
  double corrupt_read_probability = 0.0; // a read returns the data with one byte flipped
};

enum class DiskStatus { ok, io_error, no_space, not_found };
const char* to_string(DiskStatus status);

class Disk {
 public:
  Disk(Simulation& sim, std::uint32_t node, DiskOptions options);

  // Blocking operations: call them from a fiber running on the owning node.
  DiskStatus append(const std::string& path, std::string_view bytes);
  // The same, for bytes that may refer to shared buffers: the file refers to
  // them too instead of copying them (ChunkedBytes).
  DiskStatus append(const std::string& path, const ChunkedBytes& bytes);
  DiskStatus fsync(const std::string& path);
  std::optional<std::string> read(const std::string& path);
  DiskStatus truncate(const std::string& path, std::uint64_t size);
  DiskStatus remove(const std::string& path);

  // Immediate queries (no simulated time passes).
  std::vector<std::string> list(std::string_view prefix) const;
  std::uint64_t size(const std::string& path) const;
  std::uint64_t unsynced_bytes(const std::string& path) const;
  std::uint64_t used_bytes() const;
  // The current contents, for post-mortem inspection by checkers and tests.
  std::optional<std::string> peek(const std::string& path) const;

  // Fault hooks, driven by the Simulation and the fault injector.
  void lose_unsynced();  // what a crash does to the page cache
  void wipe();           // the whole disk is lost (a replaced machine)
  // `data` becomes the durable contents of `path` at once: no simulated time
  // passes and nothing fails. What the operating system's write-back makes of
  // the page cache of a process killed while its machine stays up.
  void write_back(const std::string& path, ChunkedBytes data);
  void write_back(const std::string& path, std::string_view data) { write_back(path, ChunkedBytes(data)); }
  DiskOptions& options() { return options_; }

 private:
  struct File {
    ChunkedBytes data;
    std::uint64_t synced = 0;            // data[0, synced) is durable...
    std::optional<ChunkedBytes> durable;  // ...unless a truncate replaced it
    bool ever_synced = false;
  };

  void wait(const Latency& latency);
  template <class Bytes>
  DiskStatus append_bytes(const std::string& path, const Bytes& bytes);
  void revert(File& file);

  Simulation& sim_;
  std::uint32_t node_;
  DiskOptions options_;
  Random random_;
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace weir::sim
