// SeedWorker: a forked process that runs seeds one after another and sends
// each result back as JSON, for the sweep.
//
// A worker that runs many seeds pays the page faults of a run's memory once,
// not once per seed (a fresh process faults in every page it touches, and
// those faults cost as much as a small run). A seed that kills the process
// is still a failure of that seed alone: the sweep sees the worker die
// while it ran that seed, and starts another worker for the next.
//
// The parent owns both pipe ends it keeps and reaps the process; destroying
// a worker that is still running closes its seed pipe and waits for it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "weir/scenarios/sweep.h"

namespace weir::scenarios::detail {

class SeedWorker {
 public:
  // Forks. The child runs every seed sent to it with `run`, then exits when
  // the parent closes its end of the seed pipe. The child closes
  // `parent_fds` first: the pipe ends of the other workers, which would
  // otherwise keep their seed pipes open after the parent closed them.
  SeedWorker(const RunSeed& run, const std::vector<int>& parent_fds);
  ~SeedWorker();
  SeedWorker(const SeedWorker&) = delete;
  SeedWorker& operator=(const SeedWorker&) = delete;

  void send(std::uint64_t seed);
  // Waits for the result of the seed sent last. Empty when the process died
  // (or wrote something unreadable): then `death()` says how, and the
  // worker is finished.
  std::string receive();
  std::string death();
  // No further seeds: the child exits after the one it is running.
  void close_seeds();
  // Whether it still takes seeds: false once they are closed or it died.
  bool accepting() const { return seeds_fd_ >= 0; }

  // The parent's pipe ends, while open.
  std::vector<int> fds() const;
  int result_fd() const { return results_fd_; }
  std::uint64_t seeds_sent() const { return seeds_sent_; }

 private:
  void reap();

  pid_t pid_ = -1;
  int seeds_fd_ = -1;    // parent -> child: 8-byte seeds
  int results_fd_ = -1;  // child -> parent: 8-byte length, then JSON
  std::uint64_t seeds_sent_ = 0;
  int status_ = 0;
  bool reaped_ = false;
};

}  // namespace weir::scenarios::detail
